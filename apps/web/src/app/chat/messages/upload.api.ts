import type { HttpEvent, HttpHandler } from '@angular/common/http';
import { HttpClient, HttpXhrBackend } from '@angular/common/http';
import { EnvironmentInjector, Injectable, inject, runInInjectionContext } from '@angular/core';
import type { UploadView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';
import { authInterceptor } from '../../core/auth/auth.interceptor';
import { formatBytes, readUploadLimit } from './upload-limit';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/** The server's default `MAX_ATTACHMENT_SIZE`: documents and voice recordings. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/**
 * What the file picker offers. Only a hint: the server types every upload from its bytes and
 * answers 415 for anything else, which the upload then shows.
 */
export const PICKER_ACCEPT = [
  ...IMAGE_TYPES,
  '.pdf',
  '.txt',
  '.csv',
  '.zip',
  '.docx',
  '.xlsx',
  '.pptx',
  '.odt',
  '.ods',
  '.odp',
  'audio/*',
].join(',');

/** How a file will most likely be sent; the server's `kind` has the last word. */
export function likelyKind(file: File): 'image' | 'file' {
  return (IMAGE_TYPES as readonly string[]).includes(file.type) ? 'image' : 'file';
}

/** Refuses what the server would refuse for its size or emptiness, before a byte is sent. */
export function checkAttachment(
  file: File,
  limits: { image: number; attachment: number } = {
    image: readUploadLimit(),
    attachment: DEFAULT_MAX_ATTACHMENT_BYTES,
  },
): string | null {
  const name = file.name || 'That file';
  if (file.size === 0) return `${name} is empty.`;
  if (likelyKind(file) === 'image' && file.size > limits.image)
    return `${name} is ${formatBytes(file.size)}; images can be up to ${formatBytes(limits.image)}.`;
  if (file.size > limits.attachment)
    return `${name} is ${formatBytes(file.size)}; files can be up to ${formatBytes(limits.attachment)}.`;
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

  /**
   * `POST /api/upload` with upload progress events; a voice note also sends its waveform. An
   * `encrypted` upload is a ciphertext the server stores as it is (`?encrypted=true`).
   */
  upload(
    file: File,
    waveform?: readonly number[],
    encrypted = false,
  ): Observable<HttpEvent<UploadView>> {
    const body = new FormData();
    // Text fields first: the server reads them with the file, whatever their order.
    if (waveform) body.append('waveform', JSON.stringify(waveform));
    body.append('file', file, file.name || 'file');
    return this.http.post<UploadView>(
      encrypted ? '/api/upload?encrypted=true' : '/api/upload',
      body,
      {
        reportProgress: true,
        observe: 'events',
      },
    );
  }
}
