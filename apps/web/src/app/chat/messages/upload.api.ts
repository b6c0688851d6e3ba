import type { HttpEvent } from '@angular/common/http';
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UploadView } from '@chat/shared-dto';
import type { Observable } from 'rxjs';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
/** The client refuses obviously too large files early; the server's MAX_FILE_SIZE decides. */
export const CLIENT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export function checkImage(file: File): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type))
    return 'Only JPEG, PNG, GIF and WebP images can be sent.';
  if (file.size > CLIENT_MAX_IMAGE_BYTES) return 'That image is larger than 10 MB.';
  return null;
}

@Injectable({ providedIn: 'root' })
export class UploadApi {
  private readonly http = inject(HttpClient);

  /** `POST /api/upload` with progress events (the XHR backend reports upload progress). */
  upload(file: File): Observable<HttpEvent<UploadView>> {
    const body = new FormData();
    body.append('file', file, file.name || 'image');
    return this.http.post<UploadView>('/api/upload', body, {
      reportProgress: true,
      observe: 'events',
    });
  }
}
