import {
  BadRequestException,
  NotFoundException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
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
    service = new UploadsService(repository.asRepository(), storage, new ImageProcessor());
  });

  it('stores the re-encoded original and its thumbnail, records the owner and answers the view', async () => {
    const view = await service.store(ALICE, await solidImage('jpeg', 800, 600));

    expect(view).toEqual({
      url: expect.stringMatching(/^\/api\/uploads\/[0-9a-f]{32}\.jpg$/),
      thumbnailUrl: expect.stringMatching(/^\/api\/uploads\/[0-9a-f]{32}-thumb\.webp$/),
      width: 800,
      height: 600,
      size: expect.any(Number),
      mimeType: 'image/jpeg',
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
    expect((await sharp(storage.objects.get(row.thumbnailKey)).metadata()).width).toBe(320);
  });

  it.each([
    ['a text file', TEXT_FILE],
    ['an SVG', SVG_IMAGE],
  ])('refuses %s with 415 and stores nothing', async (_label, bytes) => {
    await expect(service.store(ALICE, bytes)).rejects.toThrow(UnsupportedMediaTypeException);
    expect(storage.objects.size).toBe(0);
    expect(repository.rows).toHaveLength(0);
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
    const view = await service.store(ALICE, await solidImage('gif'));
    const name = nameOf(view.url);
    const file = await service.open(name, ALICE);
    expect(file).toMatchObject({ name, mimeType: 'image/gif', size: view.size });
    expect((await sharp(await readAll(file.stream)).metadata()).format).toBe('gif');
    const thumbnail = await service.open(nameOf(view.thumbnailUrl), ALICE);
    expect(thumbnail.mimeType).toBe('image/webp');
  });

  it('answers 404, as for a missing file, to someone who may not read it', async () => {
    const view = await service.store(ALICE, await solidImage('png'));
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
      const view = await service.store(ALICE, await solidImage('webp'));
      await expect(service.findOwnedImage(ALICE, view.url)).resolves.toEqual({
        url: view.url,
        thumbnailUrl: view.thumbnailUrl,
      });
    });

    it("refuses another user's upload, the thumbnail url, variants and made-up urls", async () => {
      const view = await service.store(ALICE, await solidImage('png'));
      await expect(service.findOwnedImage(BOB, view.url)).resolves.toBeNull();
      await expect(service.findOwnedImage(ALICE, view.thumbnailUrl)).resolves.toBeNull();
      await expect(
        service.findOwnedImage(ALICE, `https://evil.example${view.url}`),
      ).resolves.toBeNull();
      await expect(service.findOwnedImage(ALICE, `${view.url}?v=1`)).resolves.toBeNull();
      await expect(
        service.findOwnedImage(ALICE, view.url.replace('.png', '.jpg')),
      ).resolves.toBeNull();
      await expect(
        service.findOwnedImage(ALICE, '/api/uploads/0123456789abcdef0123456789abcdef.png'),
      ).resolves.toBeNull();
      await expect(service.findOwnedImage(ALICE, 'javascript:alert(1)')).resolves.toBeNull();
      await expect(service.findOwnedImage(ALICE, 42 as unknown as string)).resolves.toBeNull();
    });
  });
});
