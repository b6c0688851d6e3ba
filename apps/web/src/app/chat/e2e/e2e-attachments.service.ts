import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { EncryptedAttachmentContent } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { openFile } from './encrypted-file';

/**
 * What a decrypted file's object URL may be typed as. The type comes from the sender: a blob
 * URL is of this origin, so a claimed text/html or image/svg+xml would run script here when
 * opened. Only passive types are kept; anything else downloads as bytes.
 */
const SAFE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'audio/webm',
  'audio/ogg',
  'audio/mp4',
  'audio/mpeg',
  'application/pdf',
  'text/plain',
]);

export function safeBlobType(mimeType: string): string {
  const type = mimeType.split(';')[0].trim().toLowerCase();
  return SAFE_TYPES.has(type) ? type : 'application/octet-stream';
}

type FileState = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'failed' };

/**
 * Encrypted attachments as the page shows them: the ciphertext fetched from its URL (with the
 * bearer token, like every API call), opened with the key from the message and handed out as
 * an object URL. Each file is fetched once per session; the URLs are revoked when it ends.
 */
@Injectable({ providedIn: 'root' })
export class E2eAttachmentsService {
  private readonly http = inject(HttpClient);
  private readonly files = signal<ReadonlyMap<string, FileState>>(new Map());
  private generation = 0;

  /** The object URL of a decrypted attachment, or null while it loads (or failed). */
  objectUrl(attachment: EncryptedAttachmentContent): string | null {
    const state = this.files().get(attachment.url);
    if (!state) {
      queueMicrotask(() => void this.load(attachment));
      return null;
    }
    return state.status === 'ready' ? state.url : null;
  }

  failed(attachment: EncryptedAttachmentContent): boolean {
    return this.files().get(attachment.url)?.status === 'failed';
  }

  /** The sender already has the bytes: shows its own file without fetching it back. */
  adopt(url: string, blob: Blob): void {
    if (this.files().has(url)) return;
    const typed = new Blob([blob], { type: safeBlobType(blob.type) });
    this.set(url, { status: 'ready', url: URL.createObjectURL(typed) });
  }

  reset(): void {
    this.generation++;
    for (const state of this.files().values())
      if (state.status === 'ready') URL.revokeObjectURL(state.url);
    this.files.set(new Map());
  }

  private async load(attachment: EncryptedAttachmentContent): Promise<void> {
    if (this.files().has(attachment.url)) return;
    const generation = this.generation;
    this.set(attachment.url, { status: 'loading' });
    try {
      const ciphertext = await firstValueFrom(
        this.http.get(attachment.url, { responseType: 'arraybuffer' }),
      );
      const plaintext = await openFile(ciphertext, attachment.key, attachment.iv);
      if (generation !== this.generation) return;
      const blob = new Blob([plaintext], {
        type: attachment.mimeType || 'application/octet-stream',
      });
      this.set(attachment.url, { status: 'ready', url: URL.createObjectURL(blob) });
    } catch {
      if (generation === this.generation) this.set(attachment.url, { status: 'failed' });
    }
  }

  private set(url: string, state: FileState): void {
    this.files.update((files) => new Map(files).set(url, state));
  }
}
