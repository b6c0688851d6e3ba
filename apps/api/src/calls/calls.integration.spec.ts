import { randomUUID } from 'node:crypto';
import type { Ack, CallMedia, ConversationView, MessageView } from '@chat/shared-dto';
import { CALL_LIMITS } from '@chat/shared-dto';
import {
  ClientSocket,
  createTestApp,
  hasTwoInstances,
  nextEvent,
  noEvent,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';

const RING_MS = 1500;

const emit = (socket: ClientSocket, event: string, payload: unknown): Promise<Ack> =>
  (
    socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack> }
  ).emitWithAck(event, payload);

const ok = async (ack: Promise<Ack>): Promise<void> => {
  const result = await ack;
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
};

const errorCode = async (ack: Promise<Ack>): Promise<string | null> => {
  const result = await ack;
  return result.ok ? null : result.error.code;
};

/** The `type: 'call'` message for this call, as it arrives live. */
const callMessage = async (socket: ClientSocket, callId: string): Promise<MessageView> => {
  for (;;) {
    const message = await nextEvent(socket, 'message:new', 5000);
    if (message.call?.callId === callId) return message;
  }
};

// Once in memory on one instance (embedded mode), once over Redis with the caller and the
// callee on different instances (scaled mode).
const calls = (_name: string, redis: boolean) => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { CALL_RING_TIMEOUT_MS: String(RING_MS) };
    a = await createTestApp({ redis, env });
    b = redis ? await createTestApp({ redis, env }) : a;
  });
  afterAll(async () => {
    await a.close();
    if (b !== a) await b.close();
  });

  /** Ana (on instance A) and Ben (two devices on instance B) in a direct conversation. */
  async function pair(): Promise<{
    ana: RegisteredUser;
    ben: RegisteredUser;
    conv: ConversationView;
    anaSocket: ClientSocket;
    ben1: ClientSocket;
    ben2: ClientSocket;
  }> {
    const [ana, ben] = [await a.register('ca'), await a.register('cb')];
    const conv = await a.rest(ana.token).direct(ben.user.id);
    return {
      ana,
      ben,
      conv,
      anaSocket: await a.connect(ana.token),
      ben1: await b.connect(ben.token),
      ben2: await b.connect(ben.token),
    };
  }

  const invite = (socket: ClientSocket, conversationId: string, media: CallMedia = 'video') => {
    const callId = randomUUID();
    return {
      callId,
      ack: emit(socket, 'call:invite', { conversationId, callId, media, sdp: 'offer-sdp' }),
    };
  };

  it('rings every device of the callee, the first answer wins, ICE goes to the peer only, and a completed call leaves a message', async () => {
    const { ana, conv, anaSocket, ben1, ben2 } = await pair();
    const rings = [nextEvent(ben1, 'call:incoming'), nextEvent(ben2, 'call:incoming')];
    const { callId, ack } = invite(anaSocket, conv.id);
    await ok(ack);
    for (const ring of await Promise.all(rings))
      expect(ring).toEqual({
        callId,
        conversationId: conv.id,
        callerId: ana.user.id,
        media: 'video',
        sdp: 'offer-sdp',
      });

    // Candidates before the answer have no device to go to.
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0' };
    expect(await errorCode(emit(anaSocket, 'call:ice', { callId, candidate }))).toBe('BAD_REQUEST');

    const answered = nextEvent(anaSocket, 'call:answered');
    const elsewhere = nextEvent(ben1, 'call:ended');
    await ok(emit(ben2, 'call:answer', { callId, sdp: 'answer-sdp' }));
    expect(await answered).toEqual({ callId, sdp: 'answer-sdp' });
    expect(await elsewhere).toEqual({ callId, reason: 'answered-elsewhere' });
    expect(await errorCode(emit(ben1, 'call:answer', { callId, sdp: 'late' }))).toBe('NOT_FOUND');

    const toBen2 = nextEvent(ben2, 'call:ice');
    const notBen1 = noEvent(ben1, 'call:ice', 400);
    await ok(emit(anaSocket, 'call:ice', { callId, candidate }));
    expect(await toBen2).toEqual({ callId, candidate });
    expect(await notBen1).toBe(true);
    const toAna = nextEvent(anaSocket, 'call:ice');
    await ok(emit(ben2, 'call:ice', { callId, candidate }));
    expect(await toAna).toEqual({ callId, candidate });
    // The device that lost the race is not in the call.
    expect(await errorCode(emit(ben1, 'call:ice', { callId, candidate }))).toBe('NOT_FOUND');

    const ended = nextEvent(ben2, 'call:ended');
    const recorded = [callMessage(anaSocket, callId), callMessage(ben1, callId)];
    await ok(emit(anaSocket, 'call:end', { callId }));
    expect(await ended).toEqual({ callId, reason: 'hangup' });
    const [mine, theirs] = await Promise.all(recorded);
    expect(mine).toEqual(theirs);
    expect(mine).toMatchObject({ type: 'call', senderId: ana.user.id, conversationId: conv.id });
    expect(mine.call).toMatchObject({ callId, media: 'video', outcome: 'completed' });
    expect(mine.call?.durationMs).toBeGreaterThan(0);
    const history = await a.rest(ana.token).messages(conv.id);
    expect(history.at(-1)).toMatchObject({ id: mine.id, seq: mine.seq, call: mine.call });
  });

  it('a decline before the answer tells the caller and stops the ringing on every device', async () => {
    const { conv, anaSocket, ben1, ben2 } = await pair();
    const ringing = nextEvent(ben1, 'call:incoming');
    const { callId, ack } = invite(anaSocket, conv.id, 'audio');
    await ok(ack);
    await ringing;
    const toAna = nextEvent(anaSocket, 'call:ended');
    const toBen2 = nextEvent(ben2, 'call:ended');
    const recorded = callMessage(anaSocket, callId);
    await ok(emit(ben1, 'call:end', { callId }));
    expect(await toAna).toEqual({ callId, reason: 'declined' });
    expect(await toBen2).toEqual({ callId, reason: 'declined' });
    expect((await recorded).call).toEqual({
      callId,
      media: 'audio',
      outcome: 'declined',
      durationMs: 0,
    });
    expect(await errorCode(emit(ben1, 'call:answer', { callId, sdp: 'x' }))).toBe('NOT_FOUND');
  });

  it('no answer within the ring timeout is missed, on both sides', async () => {
    const { conv, anaSocket, ben1, ben2 } = await pair();
    const { callId, ack } = invite(anaSocket, conv.id, 'audio');
    const ends = [anaSocket, ben1, ben2].map((s) => nextEvent(s, 'call:ended', RING_MS + 3000));
    const recorded = callMessage(ben2, callId);
    const started = Date.now();
    await ok(ack);
    for (const end of await Promise.all(ends)) expect(end).toEqual({ callId, reason: 'missed' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(RING_MS - 100);
    expect((await recorded).call).toMatchObject({ outcome: 'missed', durationMs: 0 });
  });

  it('a user already in a call is busy', async () => {
    const { ben, conv, anaSocket, ben1 } = await pair();
    const cara = await a.register('cc');
    const caraConv = await a.rest(cara.token).direct(ben.user.id);
    const caraSocket = await b.connect(cara.token);
    const ringing = nextEvent(ben1, 'call:incoming');
    await ok(invite(anaSocket, conv.id).ack);
    const { callId: first } = await ringing;

    const busy = nextEvent(caraSocket, 'call:ended');
    const quiet = noEvent(ben1, 'call:incoming', 400);
    const { callId, ack } = invite(caraSocket, caraConv.id);
    await ok(ack);
    expect(await busy).toEqual({ callId, reason: 'busy' });
    expect(await quiet).toBe(true);
    await ok(emit(anaSocket, 'call:end', { callId: first }));
  });

  it('a dropped socket of the call ends it for the other side', async () => {
    const { conv, anaSocket, ben1 } = await pair();
    const ringing = nextEvent(ben1, 'call:incoming');
    const { callId, ack } = invite(anaSocket, conv.id);
    await ok(ack);
    await ringing;
    await ok(emit(ben1, 'call:answer', { callId, sdp: 'answer-sdp' }));
    const ended = nextEvent(anaSocket, 'call:ended', 10_000);
    const started = Date.now();
    ben1.disconnect();
    expect(await ended).toEqual({ callId, reason: 'hangup' });
    expect(Date.now() - started).toBeLessThan(10_000);
    // Both are free again.
    const again = invite(anaSocket, conv.id);
    await ok(again.ack);
    await ok(emit(anaSocket, 'call:end', { callId: again.callId }));
  });

  it('a block, either way, refuses the call; unblocking allows it again', async () => {
    const { ana, ben, conv, anaSocket, ben1 } = await pair();
    const auth = (user: RegisteredUser) => ({ Authorization: `Bearer ${user.token}` });
    await a.http().put(`/api/users/${ana.user.id}/block`).set(auth(ben)).expect(204);
    expect(await errorCode(invite(anaSocket, conv.id).ack)).toBe('FORBIDDEN');
    expect(await errorCode(invite(ben1, conv.id).ack)).toBe('FORBIDDEN');
    await a.http().delete(`/api/users/${ana.user.id}/block`).set(auth(ben)).expect(204);
    const { callId, ack } = invite(anaSocket, conv.id);
    await ok(ack);
    await ok(emit(anaSocket, 'call:end', { callId }));
  });

  it('refuses non-members, group conversations and bad payloads', async () => {
    const { ana, ben, conv, anaSocket } = await pair();
    const mallory = await a.register('cm');
    const mallorySocket = await a.connect(mallory.token);
    expect(await errorCode(invite(mallorySocket, conv.id).ack)).toBe('NOT_FOUND');
    expect(await errorCode(invite(mallorySocket, randomUUID()).ack)).toBe('NOT_FOUND');

    const group = await a.rest(ana.token).group('team', [ben.user.id]);
    expect(await errorCode(invite(anaSocket, group.id).ack)).toBe('FORBIDDEN');

    const callId = randomUUID();
    const bad = [
      { conversationId: conv.id, callId, media: 'screen', sdp: 'x' },
      { conversationId: conv.id, callId, media: 'audio', sdp: 'x'.repeat(CALL_LIMITS.sdpMax + 1) },
      { conversationId: conv.id, callId: 'not-a-uuid', media: 'audio', sdp: 'x' },
    ];
    for (const payload of bad)
      expect(await errorCode(emit(anaSocket, 'call:invite', payload))).toBe('BAD_REQUEST');
    const hugeCandidate = { candidate: 'x'.repeat(CALL_LIMITS.candidateMax + 1) };
    expect(await errorCode(emit(anaSocket, 'call:ice', { callId, candidate: hugeCandidate }))).toBe(
      'BAD_REQUEST',
    );
    expect(await errorCode(emit(anaSocket, 'call:end', { callId }))).toBe('NOT_FOUND');

    // Someone else's call: not theirs to answer or end.
    const ringing = invite(anaSocket, conv.id);
    await ok(ringing.ack);
    expect(
      await errorCode(emit(mallorySocket, 'call:answer', { callId: ringing.callId, sdp: 'x' })),
    ).toBe('NOT_FOUND');
    expect(await errorCode(emit(mallorySocket, 'call:end', { callId: ringing.callId }))).toBe(
      'NOT_FOUND',
    );
    await ok(emit(anaSocket, 'call:end', { callId: ringing.callId }));
  });

  it('serves ICE servers to signed-in users only', async () => {
    const { ana } = await pair();
    await a.http().get('/api/calls/ice-servers').expect(401);
    const res = await a
      .http()
      .get('/api/calls/ice-servers')
      .set('Authorization', `Bearer ${ana.token}`)
      .expect(200);
    expect(res.body).toEqual({ iceServers: expect.any(Array) });
  });
};

describe.each<[string, boolean]>([['one instance, in-memory call state', false]])(
  'calls (integration): %s',
  calls,
);
(hasTwoInstances() ? describe : describe.skip).each<[string, boolean]>([
  ['two instances, call state in Redis', true],
])('calls (integration): %s', calls);
