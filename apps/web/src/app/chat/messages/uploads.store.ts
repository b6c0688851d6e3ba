import { HttpEventType } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { UploadView } from '@chat/shared-dto';
import type { Subscription } from 'rxjs';
import { parseHttpError } from '../../core/http/http-error';
import { UploadApi, checkImage } from './upload.api';
import { formatBytes, limitFromMessage, rememberUploadLimit } from './upload-limit';

export interface PendingUpload {
  clientId: string;
  conversationId: string;
  previewUrl: string;
  name: string;
  /** 0..1 */
  progress: number;
  status: 'uploading' | 'failed';
  error?: string;
  createdAt: string;
}

/** Images being uploaded before their `message:send` (not persisted: a File cannot be stored). */
@Injectable()
export class UploadsStore {
  private readonly api = inject(UploadApi);
  private readonly items = signal<readonly PendingUpload[]>([]);
  private readonly files = new Map<string, File>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly previews = new Map<string, string>();

  readonly uploads = this.items.asReadonly();

  /** Starts an upload; `done` gets the stored image. Returns an error for a file it refuses. */
  start(
    clientId: string,
    conversationId: string,
    file: File,
    done: (upload: UploadView) => void,
  ): string | null {
    const problem = checkImage(file);
    if (problem) return problem;
    const previewUrl = URL.createObjectURL(file);
    this.files.set(clientId, file);
    this.previews.set(clientId, previewUrl);
    this.items.update((items) => [
      ...items,
      {
        clientId,
        conversationId,
        previewUrl,
        name: file.name,
        progress: 0,
        status: 'uploading',
        createdAt: new Date().toISOString(),
      },
    ]);
    this.run(clientId, file, done);
    return null;
  }

  retry(clientId: string, done: (upload: UploadView) => void): void {
    const file = this.files.get(clientId);
    if (!file) return;
    this.patch(clientId, { status: 'uploading', progress: 0, error: undefined });
    this.run(clientId, file, done);
  }

  cancel(clientId: string): void {
    this.subscriptions.get(clientId)?.unsubscribe();
    this.subscriptions.delete(clientId);
    this.forget(clientId, true);
  }

  /** The local preview of an image still on its way (kept until the message is confirmed). */
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

  private run(clientId: string, file: File, done: (upload: UploadView) => void): void {
    this.subscriptions.get(clientId)?.unsubscribe();
    const subscription = this.api.upload(file).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.UploadProgress) {
          this.patch(clientId, { progress: event.total ? event.loaded / event.total : 0.5 });
        } else if (event.type === HttpEventType.Response && event.body) {
          this.patch(clientId, { progress: 1 });
          this.forget(clientId, false);
          done(event.body);
        }
      },
      error: (err: unknown) => {
        const parsed = parseHttpError(err);
        const limit = parsed.status === 413 ? limitFromMessage(parsed.message) : null;
        if (limit) rememberUploadLimit(limit);
        const message =
          parsed.status === 413
            ? limit
              ? `The image is larger than the server's limit of ${formatBytes(limit)}.`
              : 'The image is too large.'
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
