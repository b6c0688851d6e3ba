import { randomUUID } from 'node:crypto';
import type { Ack, ConversationView, MessageView, UserView } from '@chat/shared-dto';
import { nextEvent as eventWhere } from '@chat/test-kit';
import {
  ClientSocket,
  createTestApp,
  hasTwoInstances,
  nextEvent,
  noEvent,
  RegisteredUser,
  TestApp,
  waitFor,
} from '../../test/integration/test-app';

type SendAck = Ack<{ message: MessageView }>;

const emit = <T>(socket: ClientSocket, event: string, payload: unknown): Promise<T> =>
  (
    socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }
  ).emitWithAck(event, payload);

const send = (socket: ClientSocket, conversationId: string, content: string) =>
  emit<SendAck>(socket, 'message:send', { conversationId, clientId: randomUUID(), content });

const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });

/**
 * Blocking on two instances over one PostgreSQL and Redis: the blocker on one, the blocked user
 * on the other, so every refusal and every withheld event is decided from the shared table.
 */
(hasTwoInstances() ? describe : describe.skip)(
  'blocking across two instances (integration)',
  () => {
    let one: TestApp;
    let two: TestApp;
    beforeAll(async () => {
      one = await createTestApp({ redis: true });
      two = await createTestApp({ redis: true });
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
    });

    async function direct(t: TestApp, from: RegisteredUser, to: RegisteredUser) {
      return (
        await t.http().post('/api/conversations').set(auth(from)).send({ userId: to.user.id })
      ).body as ConversationView;
    }

    async function group(t: TestApp, owner: RegisteredUser, members: RegisteredUser[]) {
      const res = await t
        .http()
        .post('/api/conversations')
        .set(auth(owner))
        .send({ type: 'group', name: 'team', memberIds: members.map((m) => m.user.id) })
        .expect(201);
      return res.body as ConversationView;
    }

    const block = (t: TestApp, by: RegisteredUser, id: string) =>
      t.http().put(`/api/users/${id}/block`).set(auth(by));
    const unblock = (t: TestApp, by: RegisteredUser, id: string) =>
      t.http().delete(`/api/users/${id}/block`).set(auth(by));

    it('blocks idempotently, lists the blocked, refuses yourself (400) and nobody (404)', async () => {
      const [ana, bob] = [await one.register('bla'), await one.register('blb')];
      await block(one, ana, bob.user.id).expect(204);
      await block(two, ana, bob.user.id).expect(204);
      const listed = (await two.http().get('/api/users/blocked').set(auth(ana)).expect(200))
        .body as UserView[];
      expect(listed.map((u) => u.id)).toEqual([bob.user.id]);
      expect(listed[0]).not.toHaveProperty('email');
      await block(one, ana, ana.user.id).expect(400);
      await block(one, ana, randomUUID()).expect(404);
      await unblock(one, ana, randomUUID()).expect(404);
      await block(one, ana, 'not-a-uuid').expect(400);
      await unblock(two, ana, bob.user.id).expect(204);
      await unblock(one, ana, bob.user.id).expect(204);
      expect((await one.http().get('/api/users/blocked').set(auth(ana)).expect(200)).body).toEqual(
        [],
      );
    });

    it('the blocked user can neither open nor write in the direct conversation; the blocker can', async () => {
      const [ana, bob] = [await one.register('dma'), await one.register('dmb')];
      const conv = await direct(one, ana, bob);
      await block(one, ana, bob.user.id).expect(204);

      // Opening it (get-or-create) is refused on the other instance too.
      await two
        .http()
        .post('/api/conversations')
        .set(auth(bob))
        .send({ userId: ana.user.id })
        .expect(403);
      const bobSocket = await two.connect(bob.token);
      const anaSocket = await one.connect(ana.token);
      const quietAna = noEvent(anaSocket, 'message:new', 600);
      const refused = await send(bobSocket, conv.id, 'let me in');
      expect(refused).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: expect.any(String) },
      });
      await two
        .http()
        .post(`/api/conversations/${conv.id}/messages`)
        .set(auth(bob))
        .send({ clientId: randomUUID(), content: 'rest too' })
        .expect(403);
      expect(await quietAna).toBe(true);

      // The blocker still writes; the refusals took no seq.
      const fromAna = await send(anaSocket, conv.id, 'I can');
      expect(fromAna).toMatchObject({ ok: true, message: { seq: 1 } });
      await one
        .http()
        .post('/api/conversations')
        .set(auth(ana))
        .send({ userId: bob.user.id })
        .expect(200);

      // A block made on one instance is lifted on the other: sends flow again.
      await unblock(two, ana, bob.user.id).expect(204);
      expect(await send(bobSocket, conv.id, 'thanks')).toMatchObject({
        ok: true,
        message: { seq: 2 },
      });
    });

    it('once blocked, edits and reactions are refused, and a resend still gets its stored message', async () => {
      const [ana, bob] = [await one.register('era'), await one.register('erb')];
      const conv = await direct(one, ana, bob);
      const bobSocket = await two.connect(bob.token);
      const clientId = randomUUID();
      const payload = { conversationId: conv.id, clientId, content: 'before the block' };
      const first = await emit<SendAck>(bobSocket, 'message:send', payload);
      expect(first).toMatchObject({ ok: true, message: { seq: 1 } });
      const sent = (first as { message: MessageView }).message;
      await block(one, ana, bob.user.id).expect(204);

      // The first ack may have been lost: the resend resolves to what was stored.
      expect(await emit<SendAck>(bobSocket, 'message:send', payload)).toMatchObject({
        ok: true,
        message: { id: sent.id, seq: 1 },
      });
      const ids = { conversationId: conv.id, messageId: sent.id };
      for (const [event, body] of [
        ['message:edit', { ...ids, content: 'changed' }],
        ['reaction:add', { ...ids, emoji: '👍' }],
      ] as const) {
        expect(await emit(bobSocket, event, body)).toEqual({
          ok: false,
          error: { code: 'FORBIDDEN', message: expect.any(String) },
        });
      }
      await two
        .http()
        .patch(`/api/conversations/${conv.id}/messages/${sent.id}`)
        .set(auth(bob))
        .send({ content: 'changed' })
        .expect(403);
      // Taking one's own message back stays possible.
      expect(await emit(bobSocket, 'message:delete', ids)).toMatchObject({ ok: true });
    });

    it('a new direct conversation cannot be created by the blocked user', async () => {
      const [ana, bob] = [await one.register('nda'), await one.register('ndb')];
      await block(one, ana, bob.user.id).expect(204);
      await two
        .http()
        .post('/api/conversations')
        .set(auth(bob))
        .send({ userId: ana.user.id })
        .expect(403);
      const mine = (await two.http().get('/api/conversations').set(auth(bob)).expect(200))
        .body as ConversationView[];
      expect(mine).toEqual([]);
    });

    it('in a group both stay members and write; the blocked user cannot add the blocker', async () => {
      const [ana, bob, cid, dee] = [
        await one.register('gra'),
        await one.register('grb'),
        await one.register('grc'),
        await one.register('grd'),
      ];
      const shared = await group(one, cid, [ana, bob]);
      await block(one, ana, bob.user.id).expect(204);
      const bobSocket = await two.connect(bob.token);
      expect(await send(bobSocket, shared.id, 'still here')).toMatchObject({ ok: true });

      // Bob owns a group of his own: Ana cannot be put in it by him, Dee can.
      const own = await group(two, bob, [dee]);
      await two
        .http()
        .post(`/api/conversations/${own.id}/members`)
        .set(auth(bob))
        .send({ userIds: [ana.user.id] })
        .expect(403);
      await two
        .http()
        .post('/api/conversations')
        .set(auth(bob))
        .send({ type: 'group', name: 'trap', memberIds: [ana.user.id, dee.user.id] })
        .expect(403);
      // Ana, the blocker, may still add Bob somewhere.
      await group(one, ana, [bob]);
    });

    it('the blocked user sees the blocker offline and gets no presence or typing of theirs', async () => {
      const [ana, bob, cid] = [
        await one.register('pra'),
        await one.register('prb'),
        await one.register('prc'),
      ];
      const shared = await group(one, cid, [ana, bob]);
      await block(one, ana, bob.user.id).expect(204);
      const [bobSocket, cidSocket] = [await two.connect(bob.token), await two.connect(cid.token)];

      // Everything Bob hears about Ana (he hears Cid come online, which is not about her).
      const aboutAna: string[] = [];
      for (const event of ['user:online', 'user:offline', 'typing:start'] as const)
        bobSocket.on(event, (payload: { userId: string }) => {
          if (payload.userId === ana.user.id) aboutAna.push(event);
        });

      // Ana comes online on instance one: Cid (on two) hears it, Bob (on two) does not.
      const cidHears = eventWhere(cidSocket, 'user:online', {
        match: (e) => e.userId === ana.user.id,
      });
      const anaSocket = await one.connect(ana.token);
      expect(await cidHears).toEqual({ userId: ana.user.id });

      // Typing: the same.
      const cidTyping = nextEvent(cidSocket, 'typing:start');
      expect(await emit(anaSocket, 'typing:start', { conversationId: shared.id })).toEqual({
        ok: true,
      });
      expect(await cidTyping).toEqual({ conversationId: shared.id, userId: ana.user.id });
      // Both events reached Cid on the same instance as Bob; give Bob's a moment more.
      await waitFor(300);
      expect(aboutAna).toEqual([]);

      // REST views agree: offline to Bob, online to Cid, in the profile and the member list.
      const seenBy = async (viewer: RegisteredUser) =>
        (await two.http().get(`/api/users/${ana.user.id}`).set(auth(viewer)).expect(200))
          .body as UserView;
      expect(await seenBy(cid)).toMatchObject({ status: 'online' });
      expect(await seenBy(bob)).toMatchObject({ status: 'offline', lastSeen: null });
      const memberAna = async (viewer: RegisteredUser) =>
        (
          (await two.http().get(`/api/conversations/${shared.id}`).set(auth(viewer)).expect(200))
            .body as ConversationView
        ).members.find((m) => m.id === ana.user.id);
      expect(await memberAna(cid)).toMatchObject({ status: 'online' });
      expect(await memberAna(bob)).toMatchObject({ status: 'offline', lastSeen: null });

      // Bob's own presence still reaches Ana: the block hides the blocker, not the blocked.
      const anaHearsBob = eventWhere(anaSocket, 'user:offline', {
        match: (e) => e.userId === bob.user.id,
      });
      bobSocket.disconnect();
      expect(await anaHearsBob).toMatchObject({ userId: bob.user.id });

      // Unblocking shows Ana online to Bob again, live and in REST.
      const bobAgain = await two.connect(bob.token);
      const backOnline = eventWhere(bobAgain, 'user:online', {
        match: (e) => e.userId === ana.user.id,
      });
      await waitFor(50);
      await unblock(one, ana, bob.user.id).expect(204);
      expect(await backOnline).toEqual({ userId: ana.user.id });
      expect(await seenBy(bob)).toMatchObject({ status: 'online' });
    });

    it('blocking tells the blocked user the blocker is offline at once', async () => {
      const [ana, bob] = [await one.register('lva'), await one.register('lvb')];
      await direct(one, ana, bob);
      await one.connect(ana.token);
      const bobSocket = await two.connect(bob.token);
      const gone = eventWhere(bobSocket, 'user:offline', {
        match: (e) => e.userId === ana.user.id,
      });
      await block(one, ana, bob.user.id).expect(204);
      expect(await gone).toEqual({ userId: ana.user.id });
    });
  },
);
