import { randomUUID } from 'node:crypto';
import type { Ack, ConversationView, MessageView, ImageUploadView } from '@chat/shared-dto';
import {
  ClientSocket,
  createTestApp,
  hasTwoInstances,
  nextEvent,
  noEvent,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';
import { solidImage } from '../../test/upload/image-fixtures';

type MessageAck = Ack<{ message: MessageView }>;

const emit = (socket: ClientSocket, event: string, payload: unknown): Promise<MessageAck> =>
  (
    socket.timeout(5000) as unknown as {
      emitWithAck(e: string, p: unknown): Promise<MessageAck>;
    }
  ).emitWithAck(event, payload);

function ok(ack: MessageAck): MessageView {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}

const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });

async function direct(t: TestApp, a: RegisteredUser, b: RegisteredUser) {
  const res = await t.http().post('/api/conversations').set(auth(a)).send({ userId: b.user.id });
  return res.body as ConversationView;
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

const send = (s: ClientSocket, conversationId: string, content: string, extra = {}) =>
  emit(s, 'message:send', { conversationId, clientId: randomUUID(), content, ...extra }).then(ok);

async function changedSince(t: TestApp, u: RegisteredUser, conversationId: string, rev: number) {
  const res = await t
    .http()
    .get(`/api/conversations/${conversationId}/messages?changedSince=${rev}`)
    .set(auth(u))
    .expect(200);
  return res.body as MessageView[];
}

async function conversationOf(t: TestApp, u: RegisteredUser, id: string) {
  const res = await t.http().get('/api/conversations').set(auth(u)).expect(200);
  return (res.body as ConversationView[]).find((c) => c.id === id)!;
}

describe('message lifecycle: edit, delete, replies, reactions, mentions (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('edits in place for the sender only, with the same limits, and tells every device', async () => {
    const [a, b] = [await t.register('ed'), await t.register('ed')];
    const conv = await direct(t, a, b);
    const [a1, a2, b1] = await Promise.all([
      t.connect(a.token),
      t.connect(a.token),
      t.connect(b.token),
    ]);
    const original = await send(a1, conv.id, 'teh typo');
    const [onA2, onB] = [nextEvent(a2, 'message:updated'), nextEvent(b1, 'message:updated')];
    const edited = ok(
      await emit(a1, 'message:edit', {
        conversationId: conv.id,
        messageId: original.id,
        content: ' the fix ',
      }),
    );
    expect(edited).toMatchObject({ id: original.id, seq: original.seq, content: 'the fix' });
    expect(edited.rev).toBeGreaterThan(original.rev);
    expect(edited.editedAt).toEqual(expect.any(String));
    expect(await onA2).toEqual(edited);
    expect(await onB).toEqual(edited);

    const notSender = await emit(b1, 'message:edit', {
      conversationId: conv.id,
      messageId: original.id,
      content: 'mine now',
    });
    expect(notSender).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await t
      .http()
      .patch(`/api/conversations/${conv.id}/messages/${original.id}`)
      .set(auth(b))
      .send({ content: 'mine now' })
      .expect(403);
    for (const content of ['   ', 'x'.repeat(4001), 'nul\u0000']) {
      await t
        .http()
        .patch(`/api/conversations/${conv.id}/messages/${original.id}`)
        .set(auth(a))
        .send({ content })
        .expect(400);
    }
    await t
      .http()
      .patch(`/api/conversations/${conv.id}/messages/${randomUUID()}`)
      .set(auth(a))
      .send({ content: 'x' })
      .expect(404);
  });

  it('deletes to a tombstone that keeps its seq, drops the file, and fixes previews and unread', async () => {
    const [a, b] = [await t.register('del'), await t.register('del')];
    const conv = await direct(t, a, b);
    const a1 = await t.connect(a.token);
    const image = (
      await t
        .http()
        .post('/api/upload')
        .set(auth(a))
        .attach('file', await solidImage('png'), 'p.png')
        .expect(201)
    ).body as ImageUploadView;
    await t.http().get(image.url).set(auth(a)).expect(200);
    const first = await send(a1, conv.id, 'keep me');
    const photo = await send(a1, conv.id, '', { type: 'image', fileUrl: image.url });
    expect((await conversationOf(t, b, conv.id)).unreadCount).toBe(2);

    // In a direct chat only the sender may delete.
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/messages/${photo.id}`)
      .set(auth(b))
      .expect(403);
    const tomb = (
      await t
        .http()
        .delete(`/api/conversations/${conv.id}/messages/${photo.id}`)
        .set(auth(a))
        .expect(200)
    ).body as MessageView;
    expect(tomb).toMatchObject({ id: photo.id, seq: photo.seq, content: '', fileUrl: null });
    expect(tomb.deletedAt).toEqual(expect.any(String));
    expect(tomb.rev).toBeGreaterThan(photo.rev);
    await t.http().get(image.url).set(auth(a)).expect(404);
    await t.http().get(image.thumbnailUrl).set(auth(a)).expect(404);

    const seen = await conversationOf(t, b, conv.id);
    expect(seen.lastMessage).toMatchObject({ id: photo.id, deletedAt: expect.any(String) });
    expect(seen.unreadCount).toBe(1);
    // Deleting again changes nothing.
    const again = (
      await t
        .http()
        .delete(`/api/conversations/${conv.id}/messages/${photo.id}`)
        .set(auth(a))
        .expect(200)
    ).body as MessageView;
    expect(again.rev).toBe(tomb.rev);
    const history = (
      await t.http().get(`/api/conversations/${conv.id}/messages`).set(auth(b)).expect(200)
    ).body as MessageView[];
    expect(history.map((m) => [m.seq, m.content])).toEqual([
      [first.seq, 'keep me'],
      [photo.seq, ''],
    ]);
  });

  it('lets a group owner or admin delete anyone’s message, not a plain member', async () => {
    const [owner, admin, member] = [
      await t.register('o'),
      await t.register('ad'),
      await t.register('m'),
    ];
    const conv = await group(t, owner, [admin, member]);
    await t
      .http()
      .patch(`/api/conversations/${conv.id}/members/${admin.user.id}`)
      .set(auth(owner))
      .send({ role: 'admin' })
      .expect(200);
    const m1 = await t.connect(member.token);
    const [x, y] = [await send(m1, conv.id, 'x'), await send(m1, conv.id, 'y')];
    const o1 = await t.connect(owner.token);
    const byOwner = await send(o1, conv.id, 'owner says');
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/messages/${byOwner.id}`)
      .set(auth(member))
      .expect(403);
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/messages/${x.id}`)
      .set(auth(admin))
      .expect(200);
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/messages/${y.id}`)
      .set(auth(owner))
      .expect(200);
  });

  it('reactions are idempotent, one emoji each, at most 20 distinct, and summarised', async () => {
    const [a, b, outsider] = [
      await t.register('re'),
      await t.register('re'),
      await t.register('out'),
    ];
    const conv = await direct(t, a, b);
    const [a1, b1, o1] = await Promise.all([
      t.connect(a.token),
      t.connect(b.token),
      t.connect(outsider.token),
    ]);
    const message = await send(a1, conv.id, 'react to me');
    const react = (s: ClientSocket, emoji: string, add = true) =>
      emit(s, add ? 'reaction:add' : 'reaction:remove', {
        conversationId: conv.id,
        messageId: message.id,
        emoji,
      });
    const once = ok(await react(b1, '👍'));
    const twice = ok(await react(b1, '👍'));
    expect(twice.rev).toBe(once.rev);
    const both = ok(await react(a1, '👍'));
    expect(both.reactions).toEqual([{ emoji: '👍', count: 2, userIds: [b.user.id, a.user.id] }]);
    expect(ok(await react(a1, '👩‍💻')).reactions.map((r) => r.emoji)).toEqual(['👍', '👩‍💻']);
    for (const bad of ['ab', '👍👍', '', ':)', '1']) {
      expect(await react(a1, bad)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    expect(await react(o1, '👍')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await t
      .http()
      .put(
        `/api/conversations/${conv.id}/messages/${message.id}/reactions/${encodeURIComponent('🎉')}`,
      )
      .set(auth(outsider))
      .expect(404);
    await t
      .http()
      .put(`/api/conversations/${conv.id}/messages/${message.id}/reactions/ab`)
      .set(auth(a))
      .expect(400);

    const removed = ok(await react(b1, '👍', false));
    expect(removed.reactions[0]).toEqual({ emoji: '👍', count: 1, userIds: [a.user.id] });
    expect(ok(await react(b1, '👍', false)).rev).toBe(removed.rev);

    const more = [
      '😀',
      '😃',
      '😄',
      '😁',
      '😆',
      '😅',
      '🤣',
      '😂',
      '🙂',
      '🙃',
      '😉',
      '😊',
      '😇',
      '🥰',
      '😍',
      '🤩',
      '😘',
      '😗',
    ];
    let last = removed;
    for (const emoji of more) last = ok(await react(a1, emoji));
    expect(last.reactions).toHaveLength(20);
    expect(await react(a1, '😚')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // One already there is still fine.
    expect(ok(await react(b1, '😀')).reactions.find((r) => r.emoji === '😀')?.count).toBe(2);
  });

  it('replies quote their original (same conversation only) and mentions name members', async () => {
    const [a, b, c] = [await t.register('rp'), await t.register('rp'), await t.register('rp')];
    const conv = await group(t, a, [b]);
    const other = await direct(t, a, c);
    const a1 = await t.connect(a.token);
    const original = await send(a1, conv.id, 'x'.repeat(300));
    const elsewhere = await send(a1, other.id, 'elsewhere');
    const reply = await send(
      a1,
      conv.id,
      `@${b.user.username} and @${c.user.username}: see above`,
      {
        replyToId: original.id,
      },
    );
    expect(reply.replyTo).toEqual({
      id: original.id,
      seq: original.seq,
      senderId: a.user.id,
      type: 'text',
      excerpt: 'x'.repeat(140),
    });
    expect(reply.mentions).toEqual([b.user.id]);
    expect(
      await emit(a1, 'message:send', {
        conversationId: conv.id,
        clientId: randomUUID(),
        content: 'wrong place',
        replyToId: elsewhere.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect((await conversationOf(t, b, conv.id)).unreadMentions).toBe(1);
    expect((await conversationOf(t, a, conv.id)).unreadMentions).toBe(0);

    await t
      .http()
      .delete(`/api/conversations/${conv.id}/messages/${original.id}`)
      .set(auth(a))
      .expect(200);
    const history = (
      await t.http().get(`/api/conversations/${conv.id}/messages`).set(auth(b)).expect(200)
    ).body as MessageView[];
    expect(history.find((m) => m.id === reply.id)?.replyTo?.excerpt).toBe('');
  });

  it('changedSince answers exactly the changes after a rev, ascending, and refuses mixing cursors', async () => {
    const [a, b] = [await t.register('cs'), await t.register('cs')];
    const conv = await direct(t, a, b);
    const a1 = await t.connect(a.token);
    const m1 = await send(a1, conv.id, 'one');
    const m2 = await send(a1, conv.id, 'two');
    const since = (await conversationOf(t, b, conv.id)).lastRev;
    expect(since).toBe(m2.rev);
    ok(
      await emit(a1, 'message:edit', { conversationId: conv.id, messageId: m1.id, content: 'uno' }),
    );
    ok(await emit(a1, 'reaction:add', { conversationId: conv.id, messageId: m1.id, emoji: '🔥' }));
    ok(await emit(a1, 'message:delete', { conversationId: conv.id, messageId: m2.id }));
    const m3 = await send(a1, conv.id, 'three');
    const changes = await changedSince(t, b, conv.id, since);
    expect(changes.map((m) => [m.id, m.rev])).toEqual([
      [m1.id, since + 2],
      [m2.id, since + 3],
      [m3.id, since + 4],
    ]);
    expect(changes[0]).toMatchObject({ content: 'uno', reactions: [{ emoji: '🔥', count: 1 }] });
    expect((await conversationOf(t, b, conv.id)).lastRev).toBe(since + 4);
    expect(await changedSince(t, b, conv.id, since + 4)).toEqual([]);
    await t
      .http()
      .get(`/api/conversations/${conv.id}/messages?changedSince=1&after=1`)
      .set(auth(b))
      .expect(400);
    const stranger = await t.register('cs');
    await t
      .http()
      .get(`/api/conversations/${conv.id}/messages?changedSince=0`)
      .set(auth(stranger))
      .expect(404);
  });

  (hasTwoInstances() ? it : it.skip)(
    'across two instances: an edit on A reaches B live, and a device away during edit, delete and reactions replays each once',
    async () => {
      const [one, two] = [
        await createTestApp({ redis: true }),
        await createTestApp({ redis: true }),
      ];
      try {
        const [a, b] = [await one.register('x'), await one.register('x')];
        const conv = await direct(one, a, b);
        const [onA, onB] = await Promise.all([one.connect(a.token), two.connect(b.token)]);
        const m1 = await send(onA, conv.id, 'hello');
        const m2 = await send(onA, conv.id, 'second');
        const live = nextEvent(onB, 'message:updated');
        const edited = ok(
          await emit(onA, 'message:edit', {
            conversationId: conv.id,
            messageId: m1.id,
            content: 'hello!',
          }),
        );
        expect(await live).toEqual(edited);

        // b's second device was away for these; it remembers the last rev it saw.
        const seen = edited.rev;
        onB.disconnect();
        ok(
          await emit(onA, 'reaction:add', {
            conversationId: conv.id,
            messageId: m1.id,
            emoji: '❤️',
          }),
        );
        ok(
          await emit(onA, 'message:edit', {
            conversationId: conv.id,
            messageId: m2.id,
            content: 'second!',
          }),
        );
        ok(await emit(onA, 'message:delete', { conversationId: conv.id, messageId: m1.id }));
        const back = await two.connect(b.token);
        const quiet = noEvent(back, 'message:updated', 300);
        const replay = await changedSince(two, b, conv.id, seen);
        expect(replay.map((m) => m.id)).toEqual([m2.id, m1.id]);
        expect(new Set(replay.map((m) => m.id)).size).toBe(replay.length);
        expect(replay[1]).toMatchObject({
          content: '',
          reactions: [],
          deletedAt: expect.any(String),
        });
        expect(replay[0]).toMatchObject({ content: 'second!', editedAt: expect.any(String) });
        expect(await quiet).toBe(true);
      } finally {
        await one.close();
        await two.close();
      }
    },
  );
});
