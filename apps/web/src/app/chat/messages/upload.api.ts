import type { HttpEvent, HttpHandler } from '@angular/common/http';
import { HttpClient, HttpXhrBackend } from '@angular/common/http';
import { EnvironmentInjector, Injectable, inject, runInInjectionContext } from '@angular/core';
import type { UploadView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { authInterceptor } from '../../core/auth/auth.interceptor';
import { formatBytes, readUploadLimit } from './upload-limit';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/** Refuses what the server would refuse, before a byte is sent, and says the limit. */
export function checkImage(file: File, maxBytes: number = readUploadLimit()): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type))
    return 'Only JPEG, PNG, GIF and WebP images can be sent.';
  if (file.size > maxBytes)
    return `${file.name || 'That image'} is ${formatBytes(file.size)}; images can be up to ${formatBytes(maxBytes)}.`;
  return null;
}

@Injectable({ providedIn: 'root' })
export class UploadApi {
  /**
   * The app's HttpClient runs on fetch, which reports no upload progress: uploads go through
   * the XHR backend instead, behind the same auth interceptor (token, and a 401 ends the session).
   */
  private readonly http: HttpClient;

  constructor() {
    const xhr = inject(HttpXhrBackend);
    const injector = inject(EnvironmentInjector);
    const handler: HttpHandler = {
      handle: (req) =>
        runInInjectionContext(injector, () => authInterceptor(req, (next) => xhr.handle(next))),
    };
    this.http = new HttpClient(handler);
  }

  /** `POST /api/upload` with upload progress events. */
  upload(file: File): Observable<HttpEvent<UploadView>> {
    const body = new FormData();
    body.append('file', file, file.name || 'image');
    return this.http.post<UploadView>('/api/upload', body, {
      reportProgress: true,
      observe: 'events',
    });
  }
}
