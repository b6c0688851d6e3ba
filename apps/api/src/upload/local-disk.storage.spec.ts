import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { LocalDiskStorage } from './local-disk.storage';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('LocalDiskStorage', () => {
  let root: string;
  let storage: LocalDiskStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'upload-storage-'));
    storage = new LocalDiskStorage(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores, streams, checks and deletes a file', async () => {
    const key = 'abcdef0123.png';
    await storage.put(key, Buffer.from('bytes'), 'image/png');
    expect(await storage.exists(key)).toBe(true);
    const stored = await storage.get(key);
    if (!stored) throw new Error('not stored');
    expect(stored.size).toBe(5);
    expect((await readAll(stored.stream)).toString()).toBe('bytes');
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    expect(await storage.get(key)).toBeNull();
  });

  it('spreads files over sub-directories by their first two characters and leaves no temp file', async () => {
    await storage.put('ab1234.jpg', Buffer.from('x'), 'image/jpeg');
    expect(await readdir(root)).toEqual(['ab']);
    expect(await readdir(join(root, 'ab'))).toEqual(['ab1234.jpg']);
    expect(await readFile(join(root, 'ab', 'ab1234.jpg'), 'utf8')).toBe('x');
  });

  it('answers null / false for a missing file and deletes one quietly', async () => {
    expect(await storage.get('ff00.png')).toBeNull();
    expect(await storage.exists('ff00.png')).toBe(false);
    await expect(storage.delete('ff00.png')).resolves.toBeUndefined();
  });

  it.each(['../escape.png', 'a/b.png', '/etc/passwd', '.hidden', '', 'a\\b', 'x'.repeat(200)])(
    'refuses the unsafe key %j',
    async (key) => {
      await expect(storage.put(key, Buffer.from('x'), 'image/png')).rejects.toThrow(
        /unsafe storage key/,
      );
      await expect(storage.get(key)).rejects.toThrow(/unsafe storage key/);
    },
  );
});
