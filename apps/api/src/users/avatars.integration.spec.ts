import type { UserView } from '@chat/shared-dto';
import sharp from 'sharp';
import {
  createTestApp,
  nextEvent,
  noEvent,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';

const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });

/** A 400x200 JPEG, left half red and right half blue, carrying EXIF. */
async function wideJpegWithExif(): Promise<Buffer> {
  const half = { width: 200, height: 200, channels: 3 as const };
  return sharp({ create: { width: 400, height: 200, channels: 3, background: '#ff0000' } })
    .composite([
      {
        input: await sharp({ create: { ...half, background: '#0000ff' } })
          .png()
          .toBuffer(),
        left: 200,
        top: 0,
      },
    ])
    .withExif({ IFD0: { Copyright: 'secret-exif-marker', Artist: 'someone' } })
    .jpeg()
    .toBuffer();
}

describe('avatars (integration)', () => {
  let t: TestApp;
  let ana: RegisteredUser;
  beforeAll(async () => {
    t = await createTestApp();
    ana = await t.register('avatar');
  });
  afterAll(() => t.close());

  const upload = (bytes: Buffer, name = 'photo.jpg') =>
    t.http().post('/api/users/me/avatar').set(auth(ana)).attach('file', bytes, name);

  it('centre-crops to 256 and 64 px WebP without EXIF, served without a token', async () => {
    const jpeg = await wideJpegWithExif();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await upload(jpeg).expect(201);
    const user = res.body as UserView;
    expect(user.avatarUrl).toMatch(/^\/api\/avatars\/[0-9a-f]{32}-256\.webp$/);
    expect(user.email).toBe(ana.user.email);

    for (const [url, side] of [
      [String(user.avatarUrl), 256],
      [String(user.avatarUrl).replace('-256.webp', '-64.webp'), 64],
    ] as const) {
      const served = await t.http().get(url).buffer(true).expect(200);
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      const meta = await sharp(served.body as Buffer).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: side, height: side });
      expect(meta.exif).toBeUndefined();
      expect((served.body as Buffer).includes('secret-exif-marker')).toBe(false);
      // The centre of a half-red, half-blue wide image: both colours, cropped evenly.
      const { data } = await sharp(served.body as Buffer)
        .raw()
        .toBuffer({ resolveWithObject: true });
      const left = data[0] ?? 0;
      const right = data[(side - 1) * 3] ?? 0;
      expect(left).toBeGreaterThan(200);
      expect(right).toBeLessThan(60);
    }
    const me = (await t.http().get('/api/auth/me').set(auth(ana)).expect(200)).body as UserView;
    expect(me.avatarUrl).toBe(user.avatarUrl);
  });

  it('refuses what is not an image (415) and a missing file (400)', async () => {
    await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg').expect(415);
    await t.http().post('/api/users/me/avatar').set(auth(ana)).expect(400);
    await t.http().get('/api/avatars/../../etc/passwd').expect(404);
    await t
      .http()
      .get(`/api/avatars/${'0'.repeat(32)}-256.webp`)
      .expect(404);
  });

  it('PATCH takes only your own current avatar URL or null; a replaced avatar’s files go', async () => {
    const bob = await t.register('avatar-bob');
    const bobs = (
      await t
        .http()
        .post('/api/users/me/avatar')
        .set(auth(bob))
        .attach('file', await wideJpegWithExif(), 'bob.jpg')
        .expect(201)
    ).body as UserView;
    const first = (await upload(await wideJpegWithExif()).expect(201)).body as UserView;
    const patch = (avatarUrl: unknown) =>
      t.http().patch('/api/users/me').set(auth(ana)).send({ avatarUrl });
    for (const bad of [
      'https://tracker.example/pixel.gif',
      'http://127.0.0.1/api/avatars/x.webp',
      '/api/uploads/' + '0'.repeat(32) + '.png',
      `/api/avatars/${'0'.repeat(32)}-256.webp`,
      `${first.avatarUrl}?x=1`,
      String(bobs.avatarUrl),
    ]) {
      await patch(bad).expect(400);
    }
    await patch(first.avatarUrl).expect(200);

    const second = (await upload(await wideJpegWithExif()).expect(201)).body as UserView;
    expect(second.avatarUrl).not.toBe(first.avatarUrl);
    await t.http().get(String(first.avatarUrl)).expect(404);
    await t.http().get(String(second.avatarUrl)).expect(200);

    expect((await patch(null).expect(200)).body).toMatchObject({ avatarUrl: null });
    await t.http().get(String(second.avatarUrl)).expect(404);
  });

  it('deleting the account removes its avatar files', async () => {
    const bob = await t.register('avatardel');
    const res = await t
      .http()
      .post('/api/users/me/avatar')
      .set(auth(bob))
      .attach('file', await wideJpegWithExif(), 'me.jpg')
      .expect(201);
    const url = String((res.body as UserView).avatarUrl);
    await t.http().get(url).expect(200);
    await t
      .http()
      .delete('/api/users/me')
      .set(auth(bob))
      .send({ password: bob.password })
      .expect(204);
    await t.http().get(url).expect(404);
    await t.http().get(url.replace('-256.webp', '-64.webp')).expect(404);
  });

  it('user:updated reaches those who share a conversation, not strangers, after a change only', async () => {
    const [cara, contact, stranger] = [
      await t.register('upd'),
      await t.register('updc'),
      await t.register('upds'),
    ];
    await t
      .http()
      .post('/api/conversations')
      .set(auth(contact))
      .send({ userId: cara.user.id })
      .expect(201);
    const [contactSocket, strangerSocket] = [
      await t.connect(contact.token),
      await t.connect(stranger.token),
    ];
    const heard = nextEvent(contactSocket, 'user:updated');
    const quiet = noEvent(strangerSocket, 'user:updated', 600);
    await t
      .http()
      .patch('/api/users/me')
      .set(auth(cara))
      .send({ displayName: 'Cara New', statusMessage: 'on holiday' })
      .expect(200);
    expect(await heard).toEqual({
      id: cara.user.id,
      username: cara.user.username,
      displayName: 'Cara New',
      avatarUrl: null,
      statusMessage: 'on holiday',
    });
    expect(await quiet).toBe(true);

    // The same values again change nothing and say nothing.
    const silent = noEvent(contactSocket, 'user:updated', 600);
    await t
      .http()
      .patch('/api/users/me')
      .set(auth(cara))
      .send({ displayName: 'Cara New' })
      .expect(200);
    expect(await silent).toBe(true);

    const avatar = nextEvent(contactSocket, 'user:updated');
    await t
      .http()
      .post('/api/users/me/avatar')
      .set(auth(cara))
      .attach('file', await wideJpegWithExif(), 'c.jpg')
      .expect(201);
    expect((await avatar).avatarUrl).toMatch(/^\/api\/avatars\//);
  });
});
