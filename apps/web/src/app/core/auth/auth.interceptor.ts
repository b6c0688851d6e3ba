import type { HttpInterceptorFn } from '@angular/common/http';
import { HttpContextToken, HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { AuthStore } from './auth.store';

const PUBLIC_AUTH = /\/api\/auth\/(login|register)$/;

/**
 * Set on a request whose 401 is an answer, not a dead session: `POST /api/auth/password`
 * answers 401 for a wrong current password, which must not log the user out.
 */
export const OWN_401 = new HttpContextToken<boolean>(() => false);

function isApiUrl(url: string): boolean {
  if (url.startsWith('/api/')) return true;
  try {
    const parsed = new URL(url, globalThis.location?.origin);
    return parsed.origin === globalThis.location?.origin && parsed.pathname.startsWith('/api/');
  } catch {
    return false;
  }
}

/** Adds the bearer token to API calls; a 401 on an authenticated call ends the session. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthStore);
  const token = auth.token();
  const api = isApiUrl(req.url);
  const publicCall = PUBLIC_AUTH.test(req.url);
  const request =
    api && token && !publicCall
      ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } })
      : req;
  return next(request).pipe(
    catchError((error: unknown) => {
      if (
        error instanceof HttpErrorResponse &&
        error.status === 401 &&
        api &&
        !publicCall &&
        !req.context.get(OWN_401) &&
        token &&
        auth.token() === token
      ) {
        auth.expire();
      }
      return throwError(() => error);
    }),
  );
};
