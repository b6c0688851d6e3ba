import type { HttpEvent } from '@angular/common/http';
import { HttpEventType } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { AttachmentKind, UploadView } from '@chat/shared-dto';
import type { Observable, Subscription } from 'rxjs';
import { defer, from, switchMap } from 'rxjs';
import type { SealedFile } from '../e2e/encrypted-file';
import { sealFile } from '../e2e/encrypted-file';
import { parseHttpError } from '../../core/http/http-error';
import { UploadApi, checkAttachment, likelyKind } from './upload.api';
import { formatBytes, limitFromMessage, rememberUploadLimit } from './upload-limit';

/** What a recorded voice note brings besides its file. */
export interface VoiceDetails {
  durationMs: number;
  waveform: readonly number[];
}

/** What opens an encrypted upload's ciphertext (it travels inside the encrypted message). */
export type FileSecret = Pick<SealedFile, 'key' | 'iv'>;

/** Called with the stored file (and, for an encrypted conversation, its key and IV). */
export type UploadDone = (upload: UploadView, secret?: FileSecret) => void;

export interface PendingUpload {
  clientId: string;
  conversationId: string;
  /** How it shows while on its way: an image preview, a file card or a voice player. */
  kind: AttachmentKind;
  /** A local object URL of the bytes (images and voice notes: shown and played before upload). */
  previewUrl: string | null;
  name: string;
  size: number;
  voice?: VoiceDetails;
  /** 0..1 */
  progress: number;
  status: 'uploading' | 'failed';
  error?: string;
  createdAt: string;
}

/**
 * Attachments being uploaded before their `message:send` (not persisted: a File cannot be
 * stored). Each keeps its File until it is stored, so a failed upload can be retried.
 */
@Injectable()
export class UploadsStore {
  private readonly api = inject(UploadApi);
  private readonly items = signal<readonly PendingUpload[]>([]);
  private readonly files = new Map<
    string,
    { file: File; voice?: VoiceDetails; encrypt: boolean }
  >();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly previews = new Map<string, string>();

  readonly uploads = this.items.asReadonly();

  /**
   * Starts an upload; `done` gets the stored file. With `encrypt` (an end-to-end encrypted
   * conversation) the bytes are sealed with AES-256-GCM first and only the ciphertext leaves.
   * Returns an error for a file it refuses.
   */
  start(
    clientId: string,
    conversationId: string,
    file: File,
    done: UploadDone,
    voice?: VoiceDetails,
    encrypt = false,
  ): string | null {
    const problem = checkAttachment(file);
    if (problem) return problem;
    const kind: AttachmentKind = voice ? 'voice' : likelyKind(file);
    const previewUrl = kind === 'file' ? null : URL.createObjectURL(file);
    this.files.set(clientId, { file, voice, encrypt });
    if (previewUrl) this.previews.set(clientId, previewUrl);
    this.items.update((items) => [
      ...items,
      {
        clientId,
        conversationId,
        kind,
        previewUrl,
        name: file.name,
        size: file.size,
        voice,
        progress: 0,
        status: 'uploading',
        createdAt: new Date().toISOString(),
      },
    ]);
    this.run(clientId, done);
    return null;
  }

  /** The file of an upload still held (an encrypted conversation's sender keeps showing it). */
  file(clientId: string): { file: File; voice?: VoiceDetails } | null {
    return this.files.get(clientId) ?? null;
  }

  retry(clientId: string, done: UploadDone): void {
    if (!this.files.has(clientId)) return;
    this.patch(clientId, { status: 'uploading', progress: 0, error: undefined });
    this.run(clientId, done);
  }

  cancel(clientId: string): void {
    this.subscriptions.get(clientId)?.unsubscribe();
    this.subscriptions.delete(clientId);
    this.forget(clientId, true);
  }

  /** The local copy of an image or voice note on its way (kept until the message is confirmed). */
  preview(clientId: string): string | null {
    return this.previews.get(clientId) ?? null;
  }

  releasePreview(clientId: string): void {
    const url = this.previews.get(clientId);
    if (url) {
      // Give the <img> time to swap to the server copy before the blob goes away.
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      this.previews.delete(clientId);
    }
  }

  reset(): void {
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
    this.previews.clear();
    this.files.clear();
    this.items.set([]);
  }

  private run(clientId: string, done: UploadDone): void {
    const pending = this.files.get(clientId);
    if (!pending) return;
    this.subscriptions.get(clientId)?.unsubscribe();
    const image = likelyKind(pending.file) === 'image' && !pending.voice;
    let secret: FileSecret | undefined;
    const upload$: Observable<HttpEvent<UploadView>> = pending.encrypt
      ? defer(() => from(pending.file.arrayBuffer().then(sealFile))).pipe(
          switchMap((sealed) => {
            secret = { key: sealed.key, iv: sealed.iv };
            // The name and type stay inside the encrypted message, not in the upload.
            const blob = new File([sealed.ciphertext], 'encrypted', {
              type: 'application/octet-stream',
            });
            return this.api.upload(blob, undefined, true);
          }),
        )
      : this.api.upload(pending.file, pending.voice?.waveform);
    const subscription = upload$.subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) {
          this.patch(clientId, { progress: event.total ? event.loaded / event.total : 0.5 });
        } else if (event.type === HttpEventType.Response && event.body) {
          this.patch(clientId, { progress: 1 });
          this.forget(clientId, false);
          done(event.body, secret);
        }
      },
      error: (err: unknown) => {
        const parsed = parseHttpError(err);
        const limit = parsed.status === 413 ? limitFromMessage(parsed.message) : null;
        // Only images have their own, configurable limit worth remembering.
        if (limit && image) rememberUploadLimit(limit);
        const what = image ? 'The image' : 'The file';
        const message =
          parsed.status === 413
            ? limit
              ? `${what} is larger than the server's limit of ${formatBytes(limit)}.`
              : `${what} is too large.`
            : parsed.status === 415
              ? 'This file type is not supported.'
              : parsed.message || 'Upload failed.';
        this.patch(clientId, { status: 'failed', error: message });
      },
    });
    this.subscriptions.set(clientId, subscription);
  }

  private forget(clientId: string, revoke: boolean): void {
    this.items.update((items) => items.filter((item) => item.clientId !== clientId));
    this.files.delete(clientId);
    this.subscriptions.delete(clientId);
    if (revoke) {
      const url = this.previews.get(clientId);
      if (url) URL.revokeObjectURL(url);
      this.previews.delete(clientId);
    }
  }

  private patch(clientId: string, change: Partial<PendingUpload>): void {
    this.items.update((items) =>
      items.map((item) => (item.clientId === clientId ? { ...item, ...change } : item)),
    );
  }
}
