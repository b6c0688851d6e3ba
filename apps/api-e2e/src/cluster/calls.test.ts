// Calls across real processes: two built API instances on one PostgreSQL and Redis, the caller
// on one and the callee's two devices on the other. The signalling, the first-answer-wins claim,
// the ring timeout and the call message must work from the bundle as they do in the tests.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  connectSocket,
  emitAck,
  freshDatabase,
  nextEvent,
  NO_LIMITS,
  noEvent,
  redisPrefix,
  REDIS_URL,
  registerUser,
  RestClient,
  servicesMissing,
  startServer,
  tempDir,
  waitForHealth,
  type ServerProcess,
} from '@chat/test-kit';

const missing = await servicesMissing();
if (missing && process.env['CI'] === 'true') throw new Error(missing);

const RING_MS = 2000;

describe('calls between two instances', { skip: missing ?? false }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let one: ServerProcess;
  let two: ServerProcess;

  before(async () => {
    const db = await freshDatabase('calls');
    cleanups.push(() => db.drop());
    const env = {
      ...NO_LIMITS,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix('calls'),
      UPLOAD_DIR: tempDir('chat-calls-up-'),
      CALL_RING_TIMEOUT_MS: String(RING_MS),
    };
    [one, two] = await Promise.all([startServer({ env }), startServer({ env })]);
    for (const s of [one, two]) cleanups.push(() => s.stop());
    for (const s of [one, two]) assert.ok(await waitForHealth(s.url), s.logs());
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  async function pair() {
    const ana = await registerUser(one.url, 'cla');
    const ben = await registerUser(one.url, 'clb');
    const conv = await new RestClient(one.url, ana.token).direct(ben.id);
    const caller = await connectSocket(one.url, ana.token);
    const devices = [
      await connectSocket(two.url, ben.token),
      await connectSocket(two.url, ben.token),
    ];
    return { ana, ben, conv, caller, devices };
  }

  test('rings both devices on the other instance; the first answer wins; media goes to it only', async () => {
    const { ana, conv, caller, devices } = await pair();
    const callId = randomUUID();
    const rings = devices.map((d) => nextEvent(d, 'call:incoming'));
    const invited = await emitAck(caller, 'call:invite', {
      conversationId: conv.id,
      callId,
      media: 'video',
      sdp: 'offer',
    });
    assert.equal(invited.ok, true);
    for (const ring of await Promise.all(rings)) {
      assert.equal(ring.callId, callId);
      assert.equal(ring.callerId, ana.id);
    }

    const answered = nextEvent(caller, 'call:answered');
    const elsewhere = nextEvent(devices[0], 'call:ended');
    const [first, second] = await Promise.all([
      emitAck(devices[1], 'call:answer', { callId, sdp: 'answer' }),
      emitAck(devices[0], 'call:answer', { callId, sdp: 'too late' }),
    ]);
    // Raced on purpose: exactly one of the two devices gets the call.
    assert.equal([first.ok, second.ok].filter(Boolean).length, 1);
    const winner = first.ok ? devices[1] : devices[0];
    const loser = first.ok ? devices[0] : devices[1];
    assert.equal((await answered).callId, callId);
    if (loser === devices[0])
      assert.deepEqual(await elsewhere, { callId, reason: 'answered-elsewhere' });

    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' };
    const relayed = nextEvent(winner, 'call:ice');
    const quiet = noEvent(loser, 'call:ice', 400);
    assert.equal((await emitAck(caller, 'call:ice', { callId, candidate })).ok, true);
    assert.deepEqual(await relayed, { callId, candidate });
    assert.equal(await quiet, true);

    const recorded = nextEvent(loser, 'message:new', { match: (m) => m.call?.callId === callId });
    const ended = nextEvent(caller, 'call:ended');
    winner.disconnect();
    assert.deepEqual(await ended, { callId, reason: 'hangup' });
    const message = await recorded;
    assert.equal(message.type, 'call');
    assert.equal(message.call?.outcome, 'completed');
  });

  test('an unanswered call is missed on both instances after the ring timeout', async () => {
    const { conv, caller, devices } = await pair();
    const callId = randomUUID();
    const ends = [caller, ...devices].map((s) =>
      nextEvent(s, 'call:ended', { timeoutMs: RING_MS + 4000 }),
    );
    assert.equal(
      (
        await emitAck(caller, 'call:invite', {
          conversationId: conv.id,
          callId,
          media: 'audio',
          sdp: 'o',
        })
      ).ok,
      true,
    );
    for (const end of await Promise.all(ends)) assert.deepEqual(end, { callId, reason: 'missed' });
  });
});
