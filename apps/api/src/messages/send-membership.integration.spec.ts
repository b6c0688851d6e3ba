import { randomUUID } from 'node:crypto';
import { NotFoundException } from '@nestjs/common';
import type { Ack, ConversationView, MessageView } from '@chat/shared-dto';
import {
  ClientSocket,
  createTestApp,
  hasTwoInstances,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';
import { MessageWriter } from './message-writer';

type SendAck = Ack<{ message: MessageView }>;

const send = (socket: ClientSocket, conversationId: string, content: string): Promise<SendAck> =>
  (
    socket.timeout(5000) as unknown as {
      emitWithAck(e: string, p: unknown): Promise<SendAck>;
    }
  ).emitWithAck('message:send', { conversationId, clientId: randomUUID(), content });

async function group(t: TestApp, owner: RegisteredUser, members: RegisteredUser[]) {
  const res = await t
    .http()
    .post('/api/conversations')
    .set('Authorization', `Bearer ${owner.token}`)
    .send({ type: 'group', name: 'race', memberIds: members.map((m) => m.user.id) })
    .expect(201);
  return res.body as ConversationView;
}

async function history(t: TestApp, user: RegisteredUser, conversationId: string) {
  const res = await t
    .http()
    .get(`/api/conversations/${conversationId}/messages?limit=100`)
    .set('Authorization', `Bearer ${user.token}`)
    .expect(200);
  return res.body as MessageView[];
}

describe('a send and the sender’s removal (integration)', () => {
  it('the send statement itself refuses a sender who is no member, taking no seq', async () => {
    const t = await createTestApp();
    try {
      const [owner, member, stranger] = [
        await t.register('own'),
        await t.register('mem'),
        await t.register('str'),
      ];
      const conv = await group(t, owner, [member]);
      // Past the service's (cached) membership check: only the statement can refuse it.
      const writer = t.app.get(MessageWriter, { strict: false });
      const base = {
        conversationId: conv.id,
        content: 'x',
        type: 'text' as const,
        fileUrl: null,
        replyToId: null,
        mentions: [],
        direct: false,
      };
      const [outsider, insider] = await Promise.allSettled([
        writer.write({ ...base, senderId: stranger.user.id, clientId: randomUUID() }),
        writer.write({ ...base, senderId: member.user.id, clientId: randomUUID() }),
      ]);
      expect(outsider.status).toBe('rejected');
      expect((outsider as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundException);
      expect(insider.status).toBe('fulfilled');
      const stored = await history(t, owner, conv.id);
      expect(stored.map((m) => [m.seq, m.senderId])).toEqual([[1, member.user.id]]);
    } finally {
      await t.close();
    }
  });

  (hasTwoInstances() ? it : it.skip)(
    'across two instances, nothing is stored for a member after the removal returned, and every ok ack is stored',
    async () => {
      const [one, two] = [
        await createTestApp({ redis: true }),
        await createTestApp({ redis: true }),
      ];
      try {
        const [owner, member] = [await one.register('own'), await one.register('mem')];
        const conv = await group(one, owner, [member]);
        const socket = await one.connect(member.token);
        expect((await send(socket, conv.id, 'warm the cache')).ok).toBe(true);

        const acks: { emittedAt: number; ack: Promise<SendAck> }[] = [];
        let removedAt = Number.POSITIVE_INFINITY;
        const removal = two
          .http()
          .delete(`/api/conversations/${conv.id}/members/${member.user.id}`)
          .set('Authorization', `Bearer ${owner.token}`)
          .then((res) => {
            removedAt = performance.now();
            return res.status;
          });
        for (let i = 0; i < 60; i++) {
          acks.push({ emittedAt: performance.now(), ack: send(socket, conv.id, `m${i}`) });
          await new Promise((resolve) => setTimeout(resolve, 3));
        }
        expect(await removal).toBe(204);
        const results = await Promise.all(acks.map(async (a) => ({ ...a, ack: await a.ack })));

        const lateOk = results.filter((r) => r.emittedAt > removedAt && r.ack.ok);
        expect(lateOk).toEqual([]);
        for (const r of results.filter((x) => !x.ack.ok)) {
          expect(r.ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        }
        const okIds = results.flatMap((r) => (r.ack.ok ? [r.ack.message.id] : []));
        const stored = (await history(one, owner, conv.id)).filter(
          (m) => m.senderId === member.user.id,
        );
        expect(stored.map((m) => m.id).sort()).toEqual(
          [
            ...okIds,
            ...stored.filter((m) => m.content === 'warm the cache').map((m) => m.id),
          ].sort(),
        );
        // Gap-free: the refused sends took no seq.
        expect(stored.map((m) => m.seq)).toEqual(stored.map((_m, i) => i + 1));
      } finally {
        await one.close();
        await two.close();
      }
    },
  );
});
