import './e2e-env.test';
import { HttpEventType } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { UploadView } from '@chat/shared-dto';
import { of } from 'rxjs';
import { UploadApi } from '../messages/upload.api';
import type { FileSecret } from '../messages/uploads.store';
import { UploadsStore } from '../messages/uploads.store';
import { utf8Decode } from './encoding';
import { openFile } from './encrypted-file';

describe('UploadsStore in an encrypted conversation', () => {
  it('uploads only the AES-GCM ciphertext and hands back the key that opens it', async () => {
    const sent: { file: File; encrypted: boolean }[] = [];
    const stored: UploadView = {
      url: '/api/files/abc',
      kind: 'file',
      name: 'encrypted',
      size: 0,
      mimeType: 'application/octet-stream',
    };
    TestBed.configureTestingModule({
      providers: [
        UploadsStore,
        {
          provide: UploadApi,
          useValue: {
            upload: (file: File, _waveform: unknown, encrypted: boolean) => {
              sent.push({ file, encrypted });
              return of({ type: HttpEventType.Response, body: stored });
            },
          },
        },
      ],
    });
    globalThis.URL.createObjectURL ??= () => 'blob:test';
    const uploads = TestBed.inject(UploadsStore);
    const done = new Promise<{ upload: UploadView; secret?: FileSecret }>((resolve) => {
      const problem = uploads.start(
        'k1',
        'c1',
        new File(['top secret notes'], 'notes.txt', { type: 'text/plain' }),
        (upload, secret) => resolve({ upload, secret }),
        undefined,
        true,
      );
      expect(problem).toBeNull();
    });
    const { upload, secret } = await done;
    expect(upload).toBe(stored);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ encrypted: true });
    expect(sent[0].file.name).toBe('encrypted');
    const ciphertext = await sent[0].file.arrayBuffer();
    expect(ciphertext.byteLength).toBe('top secret notes'.length + 16);
    expect(secret).toBeDefined();
    if (!secret) return;
    expect(utf8Decode(await openFile(ciphertext, secret.key, secret.iv))).toBe('top secret notes');
  });
});
