import type { ImageUploadView } from '@chat/shared-dto';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import {
  animatedImage,
  exifRotatedJpeg,
  htmlBehindPngSignature,
  oversizedPng,
  solidImage,
} from '../../test/upload/image-fixtures';
import { createTestApp, RegisteredUser, TestApp } from '../../test/integration/test-app';
import { UPLOAD_RATE_LIMIT } from './upload.constants';
import { UploadsService } from './uploads.service';

describe('uploads (integration)', () => {
  let t: TestApp;
  let alice: RegisteredUser;
  let bob: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    [alice, bob] = await Promise.all([t.register('alice'), t.register('bob')]);
  });

  afterAll(async () => {
    await t.app
      .get(DataSource)
      .query('DELETE FROM uploads WHERE owner_id = ANY($1)', [[alice.user.id, bob.user.id]]);
    await t.close();
  });

  const auth = (user: RegisteredUser) => ({ Authorization: `Bearer ${user.token}` });
  const upload = (user: RegisteredUser) =>
    t.http().post('/api/upload').set('Authorization', `Bearer ${user.token}`);

  it('needs a token', async () => {
    const res = await t
      .http()
      .post('/api/upload')
      .attach('file', await solidImage('png'), 'a.png')
      .expect(401);
    expect(res.body).toMatchObject({ statusCode: 401 });
  });

  it('stores a re-encoded, oriented, metadata-free image, records its owner and serves it to them', async () => {
    const res = await upload(alice)
      .attach('file', await exifRotatedJpeg(), 'photo.jpg')
      .expect(201);
    const view = res.body as ImageUploadView;
    expect(view).toMatchObject({ width: 300, height: 400, mimeType: 'image/jpeg' });

    const [row] = await t.app
      .get(DataSource)
      .query<{ owner_id: string; size: number }[]>(
        'SELECT owner_id, size FROM uploads WHERE original_key = $1',
        [view.url.slice(view.url.lastIndexOf('/') + 1)],
      );
    expect(row).toEqual({ owner_id: alice.user.id, size: view.size });

    const file = await t.http().get(view.url).set(auth(alice)).buffer(true).expect(200);
    expect(file.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=86400, immutable',
      'content-security-policy':
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
    });
    const stored = await sharp(file.body as Buffer).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 300, height: 400 });
    expect(stored.exif).toBeUndefined();

    const thumbnail = await t
      .http()
      .get(view.thumbnailUrl)
      .set(auth(alice))
      .buffer(true)
      .expect(200);
    expect(thumbnail.headers['content-type']).toBe('image/webp');
    expect(await sharp(thumbnail.body as Buffer).metadata()).toMatchObject({
      width: 240,
      height: 320,
    });
  });

  it('keeps an animated GIF animated', async () => {
    const res = await upload(alice)
      .attach('file', await animatedImage('gif', 3), 'a.gif')
      .expect(201);
    const view = res.body as ImageUploadView;
    expect(view.mimeType).toBe('image/gif');
    const file = await t.http().get(view.url).set(auth(alice)).buffer(true).expect(200);
    expect((await sharp(file.body as Buffer).metadata()).pages).toBe(3);
  });

  it('answers 415, 400 and 413 in the error shape, never 500', async () => {
    const cases: Array<[Buffer | null, string, number]> = [
      // Text and SVG are no images: plain-text documents (documents.integration.spec.ts).
      [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]), 'photo.png', 415],
      [htmlBehindPngSignature(), 'x.png', 400],
      [oversizedPng(6 * 1024 * 1024), 'big.png', 413],
      [null, '', 400],
    ];
    for (const [bytes, name, status] of cases) {
      const req = upload(alice);
      const res = await (
        bytes ? req.attach('file', bytes, name) : req.field('note', 'no file')
      ).expect(status);
      expect(res.body).toEqual({
        statusCode: status,
        message: expect.anything(),
        error: expect.any(String),
      });
    }
  });

  it('answers 404 for names it never issued', async () => {
    await t
      .http()
      .get('/api/uploads/0123456789abcdef0123456789abcdef.png')
      .set(auth(alice))
      .expect(404);
    await t.http().get('/api/uploads/..%2F..%2Fpackage.json').set(auth(alice)).expect(404);
  });

  it('lets the messages module accept only the uploader’s own URL', async () => {
    const view = (
      await upload(alice)
        .attach('file', await solidImage('webp'), 'a.webp')
        .expect(201)
    ).body as ImageUploadView;
    const uploads = t.app.get(UploadsService);
    await expect(
      uploads.findOwnedAttachment(alice.user.id, view.url, 'image'),
    ).resolves.toMatchObject({
      url: view.url,
      thumbnailUrl: view.thumbnailUrl,
    });
    await expect(uploads.findOwnedAttachment(bob.user.id, view.url, 'image')).resolves.toBeNull();
    await expect(
      uploads.findOwnedAttachment(alice.user.id, view.thumbnailUrl, 'image'),
    ).resolves.toBeNull();
  });

  it('limits uploads per user with 429 and Retry-After', async () => {
    const png = await solidImage('png', 8, 8);
    let res = await upload(bob).attach('file', png, 'a.png');
    for (let i = 1; i <= UPLOAD_RATE_LIMIT.limit && res.status === 201; i++) {
      res = await upload(bob).attach('file', png, 'a.png');
    }
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
