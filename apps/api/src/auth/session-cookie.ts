import type { CookieOptions, Request, Response } from 'express';

/**
 * The web client's `<img>` and `<audio>` tags cannot send a bearer token, so login and register
 * also set this cookie, holding the very same token: revoking its session revokes the cookie.
 * It is scoped to the uploads path and read only on `@SessionCookieAuth()` routes (GET
 * `/api/uploads/:name`), so it never authenticates a state-changing request (no CSRF surface);
 * HttpOnly keeps it from scripts, SameSite=Strict from other sites' pages.
 */
export const SESSION_COOKIE = 'chat_session';
export const SESSION_COOKIE_PATH = '/api/uploads';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function cookieOptions(req: Request): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    // Browsers drop Secure cookies over plain http, which is what local development uses.
    secure: !LOCAL_HOSTS.has(req.hostname),
    path: SESSION_COOKIE_PATH,
  };
}

/** Sets the cookie for `token`, expiring with the session (`expiresAt` in ms since the epoch). */
export function setSessionCookie(
  req: Request,
  res: Response,
  token: string,
  expiresAt: number,
): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req), expires: new Date(expiresAt) });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

/** The token from the `Cookie` header, or null; no cookie parser is installed app-wide. */
export function sessionCookieToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    // A JWT is base64url and dots only: anything else is not ours, and never reaches the verifier.
    return /^[A-Za-z0-9_.-]{1,4096}$/.test(value) ? value : null;
  }
  return null;
}

/** Set by `JwtAuthGuard` on requests to `@SessionCookieAuth()` routes, read by `JwtStrategy`. */
export const SESSION_COOKIE_ALLOWED = Symbol('session cookie allowed');
export type CookieAwareRequest = Request & { [SESSION_COOKIE_ALLOWED]?: true };

/** The cookie's token, only where the route accepts the cookie. */
export function allowedSessionCookieToken(req: CookieAwareRequest): string | null {
  return req[SESSION_COOKIE_ALLOWED] ? sessionCookieToken(req.headers.cookie) : null;
}
