import {
  BadRequestException,
  NotFoundException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { ImageUploadView } from '@chat/shared-dto';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { MemoryStorage, MemoryUploadRepository } from '../../test/upload/fakes';
import { SVG_IMAGE, solidImage, TEXT_FILE } from '../../test/upload/image-fixtures';
import { ImageProcessor } from './image-processor';
import { UploadsService } from './uploads.service';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

const nameOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('UploadsService', () => {
  let storage: MemoryStorage;
  let repository: MemoryUploadRepository;
  let service: UploadsService;

  beforeEach(() => {
    storage = new MemoryStorage();
    repository = new MemoryUploadRepository();
    service = new UploadsService(repository.asRepository(), storage, new ImageProcessor(), {
      upload: {
        dir: '/unused',
        maxFileSize: 5 * 1024 * 1024,
        maxAttachmentSize: 25 * 1024 * 1024,
        maxVoiceSeconds: 300,
      },
    });
  });

  it('stores the re-encoded original and its thumbnail, records the owner and answers the view', async () => {
    const view = (await service.store(
      ALICE,
      await solidImage('jpeg', 800, 600),
    )) as ImageUploadView;

    expect(view).toEqual({
      url: expect.stringMatching(/^\/api\/uploads\/[0-9a-f]{32}\.jpg$/),
      thumbnailUrl: expect.stringMatching(/^\/api\/uploads\/[0-9a-f]{32}-thumb\.webp$/),
      width: 800,
      height: 600,
      size: expect.any(Number),
      mimeType: 'image/jpeg',
      kind: 'image',
      name: 'image.jpg',
    });
    const [row] = repository.rows;
    expect(row).toMatchObject({
      ownerId: ALICE,
      mimeType: 'image/jpeg',
      width: 800,
      height: 600,
      size: view.size,
    });
    expect(view.url.endsWith(row.originalKey)).toBe(true);
    expect(storage.objects.get(row.originalKey)?.length).toBe(view.size);
    expect((await sharp(storage.objects.get(row.thumbnailKey ?? '')).metadata()).width).toBe(320);
  });

  it.each([
    ['a text file', TEXT_FILE],
    ['an SVG', SVG_IMAGE],
  ])('never takes %s for an image: it is a plain-text document', async (_label, bytes) => {
    const view = await service.store(ALICE, bytes, 'x.svg');
    expect(view).toMatchObject({ kind: 'file', mimeType: 'text/plain', name: 'x.svg' });
    expect(view.url).toMatch(/^\/api\/uploads\/[0-9a-f]{32}\.txt$/);
    expect(repository.rows).toHaveLength(1);
  });

  it.each([
    [
      'an ELF executable',
      Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(64)]),
    ],
    ['a PE executable', Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(64)])],
    ['binary with NUL bytes', Buffer.from([0x41, 0x00, 0x42])],
  ])('refuses %s with 415 and stores nothing', async (_label, bytes) => {
    await expect(service.store(ALICE, bytes, 'report.pdf')).rejects.toThrow(
      UnsupportedMediaTypeException,
    );
    expect(storage.objects.size).toBe(0);
    expect(repository.rows).toHaveLength(0);
  });

  it('refuses a 0-byte file with 400', async () => {
    await expect(service.store(ALICE, Buffer.alloc(0), 'empty.txt')).rejects.toThrow(
      'The file is empty',
    );
    expect(storage.objects.size).toBe(0);
  });

  it('stores nothing for an image the decoder refuses', async () => {
    await expect(service.store(ALICE, Buffer.from('GIF89a, or not'))).rejects.toThrow(
      BadRequestException,
    );
    expect(storage.objects.size).toBe(0);
  });

  it('removes the stored files when the row cannot be written', async () => {
    repository.failNextInsert = true;
    await expect(service.store(ALICE, await solidImage('png'))).rejects.toThrow('database is down');
    expect(storage.objects.size).toBe(0);
  });

  it('opens a stored file by name with the type it was stored as', async () => {
    const view = (await service.store(ALICE, await solidImage('gif'))) as ImageUploadView;
    const name = nameOf(view.url);
    const file = await service.open(name, ALICE);
    expect(file).toMatchObject({ key: name, mimeType: 'image/gif', size: view.size });
    expect((await sharp(await readAll(file.stream)).metadata()).format).toBe('gif');
    const thumbnail = await service.open(nameOf(view.thumbnailUrl), ALICE);
    expect(thumbnail.mimeType).toBe('image/webp');
  });

  it('answers 404, as for a missing file, to someone who may not read it', async () => {
    const view = (await service.store(ALICE, await solidImage('png'))) as ImageUploadView;
    await expect(service.open(nameOf(view.url), BOB)).rejects.toThrow(NotFoundException);
    await expect(service.open(nameOf(view.thumbnailUrl), BOB)).rejects.toThrow(NotFoundException);
  });

  it.each(['0123456789abcdef0123456789abcdef.png', '../../etc/passwd', 'index.html', 'x.svg'])(
    'answers 404 for %j',
    async (name) => {
      await expect(service.open(name, ALICE)).rejects.toThrow(NotFoundException);
    },
  );

  describe('findOwnedImage', () => {
    it('accepts exactly the url issued to that user', async () => {
      const view = (await service.store(ALICE, await solidImage('webp'))) as ImageUploadView;
      await expect(service.findOwnedAttachment(ALICE, view.url, 'image')).resolves.toMatchObject({
        url: view.url,
        thumbnailUrl: view.thumbnailUrl,
      });
      await expect(service.findOwnedAttachment(ALICE, view.url, 'file')).resolves.toBeNull();
    });

    it("refuses another user's upload, the thumbnail url, variants and made-up urls", async () => {
      const view = (await service.store(ALICE, await solidImage('png'))) as ImageUploadView;
      await expect(service.findOwnedAttachment(BOB, view.url, 'image')).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(ALICE, view.thumbnailUrl, 'image'),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(ALICE, `https://evil.example${view.url}`, 'image'),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(ALICE, `${view.url}?v=1`, 'image'),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(ALICE, view.url.replace('.png', '.jpg'), 'image'),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(
          ALICE,
          '/api/uploads/0123456789abcdef0123456789abcdef.png',
          'image',
        ),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(ALICE, 'javascript:alert(1)', 'image'),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedAttachment(ALICE, 42 as unknown as string, 'image'),
      ).resolves.toBeNull();
    });
  });
});
