import { randomUUID } from 'node:crypto';
import type { ConversationView, UserView } from '@chat/shared-dto';
import { createTestApp, RegisteredUser, TestApp, waitFor } from '../../test/integration/test-app';

describe('presence only for people who share a conversation (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const getUser = async (viewer: RegisteredUser, id: string) =>
    (
      await t
        .http()
        .get(`/api/users/${id}`)
        .set('Authorization', `Bearer ${viewer.token}`)
        .expect(200)
    ).body as UserView;
  const search = async (viewer: RegisteredUser, query: string) =>
    (
      await t
        .http()
        .get('/api/users/search')
        .query({ query })
        .set('Authorization', `Bearer ${viewer.token}`)
        .expect(200)
    ).body as UserView[];

  /** Online for others once the first socket is counted. */
  async function until(u: RegisteredUser, ok: (self: UserView) => boolean): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (ok(await getUser(u, u.user.id))) return;
      await waitFor(20);
    }
    throw new Error('presence never changed');
  }

  it('shows a stranger offline with no lastSeen, a contact as they are, and yourself always', async () => {
    const [target, stranger, contact] = [
      await t.register('seen'),
      await t.register('stranger'),
      await t.register('contact'),
    ];
    await t
      .http()
      .post('/api/conversations')
      .set('Authorization', `Bearer ${contact.token}`)
      .send({ userId: target.user.id })
      .expect(201);
    // Online once, then offline with a lastSeen, then online again.
    const first = await t.connect(target.token);
    await until(target, (self) => self.status === 'online');
    first.disconnect();
    await until(target, (self) => self.status === 'offline' && Boolean(self.lastSeen));
    expect((await getUser(stranger, target.user.id)).lastSeen).toBeNull();
    expect((await getUser(contact, target.user.id)).lastSeen).toEqual(expect.any(String));
    await t.connect(target.token);
    await until(target, (self) => self.status === 'online');

    expect(await getUser(stranger, target.user.id)).toMatchObject({
      username: target.user.username,
      status: 'offline',
      lastSeen: null,
    });
    const found = (await search(stranger, target.user.username)).find(
      (u) => u.id === target.user.id,
    );
    expect(found).toMatchObject({ status: 'offline', lastSeen: null });

    expect(await getUser(contact, target.user.id)).toMatchObject({ status: 'online' });
    const seen = (await search(contact, target.user.username)).find((u) => u.id === target.user.id);
    expect(seen).toMatchObject({ status: 'online' });
    expect(await getUser(target, target.user.id)).toMatchObject({ status: 'online' });
  });
});

describe('names and texts that hide characters (integration)', () => {
  let t: TestApp;
  let a: RegisteredUser;
  let b: RegisteredUser;
  beforeAll(async () => {
    t = await createTestApp();
    [a, b] = [await t.register('names'), await t.register('names2')];
  });
  afterAll(() => t.close());

  const patchMe = (displayName: string) =>
    t.http().patch('/api/users/me').set('Authorization', `Bearer ${a.token}`).send({ displayName });

  it('refuses zero-width and bidi-control characters in display names and usernames', async () => {
    for (const name of ['Bo\u200Bb', 'evil\u202Egnp.exe', '\u2066Ana\u2069', '\u3164']) {
      const res = await patchMe(name).expect(400);
      expect(String(res.body.message)).toMatch(/displayName must/);
    }
    await t
      .http()
      .post('/api/auth/register')
      .send({ username: 'bo\u200Bb', email: 'zw@example.test', password: 'password1' })
      .expect(400);
  });

  it('stores display names in NFC and keeps emoji', async () => {
    const res = await patchMe('Jose\u0301 👩🏽‍💻').expect(200);
    expect(res.body.displayName).toBe('Jos\u00E9 👩🏽‍💻');
  });

  it('refuses a group name of only spaces or invisible characters, and hidden characters in it', async () => {
    const create = (name: string) =>
      t
        .http()
        .post('/api/conversations')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ type: 'group', name, memberIds: [b.user.id] });
    await create('   ').expect(400);
    await create('\u200B\u200B').expect(400);
    await create('Team\u202E').expect(400);
    const group = (await create(' Cafe\u0301 ').expect(201)).body as ConversationView;
    expect(group.name).toBe('Caf\u00E9');
    await t
      .http()
      .patch(`/api/conversations/${group.id}`)
      .set('Authorization', `Bearer ${a.token}`)
      .send({ name: '  ' })
      .expect(400);
  });

  it('refuses a message of only invisible characters and keeps one with real text', async () => {
    const conv = (
      await t
        .http()
        .post('/api/conversations')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ userId: b.user.id })
        .expect(201)
    ).body as ConversationView;
    const send = (content: string) =>
      t
        .http()
        .post(`/api/conversations/${conv.id}/messages`)
        .set('Authorization', `Bearer ${a.token}`)
        .send({ clientId: randomUUID(), content });
    const res = await send('\u200B\u2060\uFEFF\u200D').expect(400);
    expect(String(res.body.message)).toMatch(/visible/);
    // A right-to-left mark inside real text is writing, not hiding.
    await send('\u200Fمرحبا').expect(201);
  });
});

describe('who may message me (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const as = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });
  const openDirect = (from: RegisteredUser, to: RegisteredUser) =>
    t.http().post('/api/conversations').set(as(from)).send({ userId: to.user.id });
  const setPolicy = (u: RegisteredUser, directMessages: unknown) =>
    t.http().patch('/api/users/me').set(as(u)).send({ directMessages });

  it('"shared-groups" refuses new direct conversations from strangers, not from group mates', async () => {
    const [quiet, stranger, mate, earlier] = await Promise.all(
      ['dmq', 'dms', 'dmm', 'dme'].map((n) => t.register(n)),
    );
    const before = (await openDirect(earlier, quiet).expect(201)).body as ConversationView;

    expect((await setPolicy(quiet, 'shared-groups').expect(200)).body).toMatchObject({
      directMessages: 'shared-groups',
    });
    await setPolicy(quiet, 'friends').expect(400);
    const seenByOthers = (
      await t.http().get(`/api/users/${quiet.user.id}`).set(as(stranger)).expect(200)
    ).body as UserView;
    expect(seenByOthers).not.toHaveProperty('directMessages');

    const refused = await openDirect(stranger, quiet).expect(403);
    expect(String(refused.body.message)).toMatch(/shared group/);
    // An existing conversation stays open; the setting is about new ones.
    expect((await openDirect(earlier, quiet).expect(200)).body.id).toBe(before.id);

    await t
      .http()
      .post('/api/conversations')
      .set(as(quiet))
      .send({ type: 'group', name: 'club', memberIds: [mate.user.id] })
      .expect(201);
    await openDirect(mate, quiet).expect(201);

    await setPolicy(quiet, 'everyone').expect(200);
    await openDirect(stranger, quiet).expect(201);
  });
});
