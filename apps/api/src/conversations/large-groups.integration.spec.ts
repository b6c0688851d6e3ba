import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Ack,
  ConversationView,
  MembersPageView,
  MessageReceiptsView,
  MessageView,
} from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import {
  ClientSocket,
  createTestApp,
  hasRedis,
  nextEvent,
  noEvent,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';

type SendAck = Ack<{ message: MessageView }>;

const emit = <T>(socket: ClientSocket, event: string, payload: unknown): Promise<T> =>
  (
    socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }
  ).emitWithAck(event, payload);

async function send(socket: ClientSocket, conversationId: string, content: string) {
  const ack = await emit<SendAck>(socket, 'message:send', {
    conversationId,
    clientId: randomUUID(),
    content,
  });
  if (!ack.ok) throw new Error(`send failed: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}

const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });

async function group(t: TestApp, owner: RegisteredUser, memberIds: string[], name = 'big') {
  const res = await t
    .http()
    .post('/api/conversations')
    .set(auth(owner))
    .send({ type: 'group', name, memberIds })
    .expect(201);
  return res.body as ConversationView;
}

/**
 * Users that only need to exist (members nobody logs in as), written straight into the
 * database: registering a thousand through bcrypt would be most of the test's time.
 */
async function bulkUsers(t: TestApp, count: number): Promise<string[]> {
  const tag = randomBytes(4).toString('hex');
  const rows = await t.app.get(DataSource).query<{ id: string }[]>(
    `INSERT INTO users (username, email, password_hash)
     SELECT 'lg' || $1 || '_' || i, 'lg' || $1 || '_' || i || '@example.test', 'x'
       FROM generate_series(1, $2::int) AS i RETURNING id`,
    [tag, count],
  );
  return rows.map((r) => r.id);
}

async function dropUsers(t: TestApp, ids: string[]): Promise<void> {
  await t.app.get(DataSource).query(`DELETE FROM users WHERE id = ANY($1::uuid[])`, [ids]);
}

describe('large groups (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('creates a 1,000-member group, grows it, delivers to every connected member, embeds the first 256 (and the viewer) and counts all', async () => {
    const [owner, ana, bob] = [
      await t.register('lo'),
      await t.register('la'),
      await t.register('lb'),
    ];
    const filler = await bulkUsers(t, 998);
    try {
      const created = await group(t, owner, [ana.user.id, ...filler]);
      expect(created.memberCount).toBe(1000);
      const embedded = DEFAULT_LIMITS.embeddedMembersMax;
      expect(created.members.length).toBeGreaterThanOrEqual(embedded);
      expect(created.members.length).toBeLessThanOrEqual(embedded + 1);
      expect(created.members.some((m) => m.id === owner.user.id && m.role === 'owner')).toBe(true);
      // Bob joins last, so he is not among the first 256: his own view still embeds him.
      await t
        .http()
        .post(`/api/conversations/${created.id}/members`)
        .set(auth(owner))
        .send({ userIds: [bob.user.id] })
        .expect(201);

      // Presence is not pushed through groups past the old 256 cap (10,000² events at a
      // reconnect storm): Bob, who shares only this group with them, hears no one come online.
      const b = await t.connect(bob.token);
      const noPresence = noEvent(b, 'user:online', 600);
      const [o, a] = await Promise.all([t.connect(owner.token), t.connect(ana.token)]);
      expect(await noPresence).toBe(true);
      const toAna = nextEvent(a, 'message:new');
      const toBob = nextEvent(b, 'message:new');
      const quiet = noEvent(o, 'message:new', 500);
      const sent = await send(o, created.id, 'hello thousand');
      expect(await toAna).toEqual(sent);
      expect(await toBob).toEqual(sent);
      expect(await quiet).toBe(true);

      const asListed = await t.http().get('/api/conversations').set(auth(bob)).expect(200);
      const mine = (asListed.body as ConversationView[]).find((c) => c.id === created.id);
      expect(mine?.memberCount).toBe(1001);
      expect(mine?.members).toHaveLength(embedded + 1);
      expect(mine?.members.at(-1)).toMatchObject({ id: bob.user.id, role: 'member' });
      expect(mine?.unreadCount).toBe(1);

      await emit(a, 'message:read', { conversationId: created.id, messageId: sent.id });
      await emit(b, 'message:delivered', { conversationId: created.id, messageId: sent.id });
      const receipts = await t
        .http()
        .get(`/api/conversations/${created.id}/messages/${sent.id}/receipts`)
        .set(auth(owner))
        .expect(200);
      expect(receipts.body).toMatchObject({ readCount: 1, deliveredCount: 2 });
      const capped = await t
        .http()
        .get(`/api/conversations/${created.id}/messages/${sent.id}/receipts?limit=1`)
        .set(auth(owner))
        .expect(200);
      const view = capped.body as MessageReceiptsView;
      expect(view.deliveredTo).toHaveLength(1);
      expect(view.deliveredCount).toBe(2);
      await t
        .http()
        .get(`/api/conversations/${created.id}/messages/${sent.id}/receipts?limit=0`)
        .set(auth(owner))
        .expect(400);
    } finally {
      await dropUsers(t, filler);
    }
  });

  it('caps a request at 1,000 ids and a group at 10,000 members', async () => {
    const owner = await t.register('lc');
    const filler = await bulkUsers(t, 1001);
    try {
      await t
        .http()
        .post('/api/conversations')
        .set(auth(owner))
        .send({ type: 'group', name: 'too many', memberIds: filler })
        .expect(400);
      const created = await group(t, owner, filler.slice(0, 10));
      // The rest of 10,000, straight into the table: the API's limit is what is under test.
      const more = await bulkUsers(t, DEFAULT_LIMITS.groupMembersMax - 11);
      filler.push(...more);
      await t.app.get(DataSource).query(
        `INSERT INTO conversation_members (conversation_id, user_id)
         SELECT $1, unnest($2::uuid[])`,
        [created.id, more],
      );
      const full = await t
        .http()
        .post(`/api/conversations/${created.id}/members`)
        .set(auth(owner))
        .send({ userIds: [filler[10]] })
        .expect(400);
      expect(String(full.body.message)).toMatch(/at most 10000 members/);
      const listed = await t.http().get(`/api/conversations/${created.id}`).set(auth(owner));
      expect(listed.body.memberCount).toBe(DEFAULT_LIMITS.groupMembersMax);
    } finally {
      await dropUsers(t, filler);
    }
  });

  it('pages members in ascending user id with a cursor, and refuses bad input and outsiders', async () => {
    const [owner, eve] = [await t.register('lp'), await t.register('le')];
    const filler = await bulkUsers(t, 120);
    try {
      const created = await group(t, owner, filler);
      const url = `/api/conversations/${created.id}/members`;
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const res = await t
          .http()
          .get(url)
          .query(after ? { limit: 50, after } : { limit: 50 })
          .set(auth(owner))
          .expect(200);
        const page = res.body as MembersPageView;
        expect(page.members.length).toBeLessThanOrEqual(50);
        seen.push(...page.members.map((m) => m.id));
        after = page.next;
        pages += 1;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toEqual([owner.user.id, ...filler].sort());
      const first = await t.http().get(url).set(auth(owner)).expect(200);
      expect(first.body.members).toHaveLength(DEFAULT_LIMITS.membersPageDefault);
      expect(first.body.members[0]).toHaveProperty('role');
      expect(first.body.members[0]).not.toHaveProperty('email');

      await t.http().get(url).query({ after: 'not-a-uuid' }).set(auth(owner)).expect(400);
      await t.http().get(url).query({ limit: 0 }).set(auth(owner)).expect(400);
      await t.http().get(url).query({ limit: 201 }).set(auth(owner)).expect(400);
      await t.http().get(url).query({ limit: 'x' }).set(auth(owner)).expect(400);
      await t.http().get(url).set(auth(eve)).expect(404);
      await t.http().get(`/api/conversations/${randomUUID()}/members`).set(auth(owner)).expect(404);
      await t.http().get('/api/conversations/nope/members').set(auth(owner)).expect(400);
      await t.http().get(url).expect(401);
    } finally {
      await dropUsers(t, filler);
    }
  });
});

(hasRedis() ? describe : describe.skip)('group rooms across two instances (integration)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ redis: true });
    b = await createTestApp({ redis: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a member added while connected on B gets the next message sent on A', async () => {
    const [owner, mia, ned] = [
      await a.register('ra'),
      await a.register('rm'),
      await a.register('rn'),
    ];
    const created = await group(a, owner, [mia.user.id]);
    const nedOnB = await b.connect(ned.token);
    const ownerOnA = await a.connect(owner.token);
    const before = noEvent(nedOnB, 'message:new', 400);
    await send(ownerOnA, created.id, 'before ned');
    expect(await before).toBe(true);

    const told = nextEvent(nedOnB, 'conversation:updated');
    await a
      .http()
      .post(`/api/conversations/${created.id}/members`)
      .set(auth(owner))
      .send({ userIds: [ned.user.id] })
      .expect(201);
    expect((await told).id).toBe(created.id);
    const got = nextEvent(nedOnB, 'message:new');
    const sent = await send(ownerOnA, created.id, 'welcome ned');
    expect(await got).toEqual(sent);
  });

  it('a removed member gets nothing more on either instance, and other members still do', async () => {
    const [owner, kai, lea] = [
      await a.register('rb'),
      await a.register('rk'),
      await a.register('rl'),
    ];
    const created = await group(a, owner, [kai.user.id, lea.user.id]);
    const [kaiOnA, kaiOnB, leaOnB, ownerOnA] = await Promise.all([
      a.connect(kai.token),
      b.connect(kai.token),
      b.connect(lea.token),
      a.connect(owner.token),
    ]);
    const both = [nextEvent(kaiOnA, 'message:new'), nextEvent(kaiOnB, 'message:new')];
    await send(ownerOnA, created.id, 'still here');
    await Promise.all(both);

    const removedA = nextEvent(kaiOnA, 'conversation:removed');
    const removedB = nextEvent(kaiOnB, 'conversation:removed');
    await b
      .http()
      .delete(`/api/conversations/${created.id}/members/${kai.user.id}`)
      .set(auth(owner))
      .expect(204);
    await Promise.all([removedA, removedB]);
    const quiet = [
      noEvent(kaiOnA, 'message:new', 700),
      noEvent(kaiOnB, 'message:new', 700),
      noEvent(kaiOnA, 'typing:start', 700),
      noEvent(kaiOnB, 'message:read', 700),
    ];
    const toLea = nextEvent(leaOnB, 'message:new');
    const sent = await send(ownerOnA, created.id, 'after kai');
    expect(await toLea).toEqual(sent);
    await emit(ownerOnA, 'typing:start', { conversationId: created.id });
    await emit(leaOnB, 'message:read', { conversationId: created.id, messageId: sent.id });
    expect(await Promise.all(quiet)).toEqual([true, true, true, true]);

    // A socket connecting after the removal does not join the room either.
    const kaiLater = await b.connect(kai.token);
    const stillQuiet = noEvent(kaiLater, 'message:new', 500);
    await send(ownerOnA, created.id, 'later');
    expect(await stillQuiet).toBe(true);
  });
});
