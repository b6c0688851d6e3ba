// Floods against two production-mode instances on one PostgreSQL and Redis: black-box testing
// found 80 REST sends in 336 ms all accepted while a socket got 40, and two sockets of one user
// on two instances getting 83 through. One user has one message budget (burst 40, 20/s by
// default), whichever path and instance the sends take.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  connectSocket,
  emitAck,
  freshDatabase,
  redisPrefix,
  REDIS_URL,
  registerUser,
  request,
  RestClient,
  servicesMissing,
  startServer,
  tempDir,
  waitForHealth,
  type ChatSocket,
  type ServerProcess,
} from '@chat/test-kit';

const missing = await servicesMissing();
if (missing && process.env['CI'] === 'true') throw new Error(missing);

const BURST = 40;
const PER_SECOND = 20;

describe('one message budget per user across two instances', { skip: missing ?? false }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  const sockets: ChatSocket[] = [];
  let one: ServerProcess;
  let two: ServerProcess;

  before(async () => {
    const db = await freshDatabase('rate');
    cleanups.push(() => db.drop());
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix('rate'),
      UPLOAD_DIR: tempDir('chat-rate-up-'),
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
      // The limits under test at their defaults; only the request throttle is out of the way.
      MESSAGE_RATE_PER_SECOND: String(PER_SECOND),
      MESSAGE_RATE_BURST: String(BURST),
      THROTTLE_USER_LIMIT: '0',
      THROTTLE_ANON_LIMIT: '0',
    };
    [one, two] = await Promise.all([startServer({ env }), startServer({ env })]);
    for (const s of [one, two]) {
      cleanups.push(() => s.stop());
      assert.ok(await waitForHealth(s.url), s.logs());
    }
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  test('REST on one instance and sockets on both share one burst', async (t) => {
    const sender = await registerUser(one.url, 'rate');
    const peer = await registerUser(one.url, 'peer');
    const conversation = await new RestClient(one.url, sender.token).direct(peer.id);
    const onOne = await connectSocket(one.url, sender.token);
    const onTwo = await connectSocket(two.url, sender.token);
    sockets.push(onOne, onTwo);

    const started = Date.now();
    const rest = Array.from({ length: 60 }, (_, i) =>
      request(one.url, 'POST', `/api/conversations/${conversation.id}/messages`, {
        token: sender.token,
        body: { clientId: `rest-${i}`, content: `rest ${i}` },
      }).then((res) => res.status),
    );
    const socket = Array.from({ length: 60 }, (_, i) =>
      emitAck(i % 2 ? onTwo : onOne, 'message:send', {
        conversationId: conversation.id,
        clientId: `socket-${i}`,
        content: `socket ${i}`,
      }).then((ack) => (ack.ok ? 201 : ack.error.code)),
    );
    const outcomes = await Promise.all([...rest, ...socket]);
    const seconds = (Date.now() - started) / 1000;

    const accepted = outcomes.filter((o) => o === 201).length;
    const refused = outcomes.filter((o) => o === 429 || o === 'RATE_LIMITED').length;
    t.diagnostic(
      `120 sends (60 REST on one, 60 socket over both) in ${seconds.toFixed(2)} s: ` +
        `${accepted} accepted, ${refused} refused`,
    );
    assert.deepEqual(
      outcomes.filter((o) => o !== 201 && o !== 429 && o !== 'RATE_LIMITED'),
      [],
      'every send is accepted or refused as rate limited, nothing else',
    );
    // The burst plus what refilled while the sends ran (and a little slack for the two
    // instances' clocks): never a burst per path or instance, which would be 80 or more.
    assert.ok(
      accepted <= BURST + Math.ceil(PER_SECOND * seconds) + 5,
      `${accepted} accepted in ${seconds.toFixed(2)} s`,
    );
    assert.ok(accepted >= BURST - 2, `the burst is available: ${accepted} accepted`);

    // What was accepted is stored, once each.
    const stored = await new RestClient(two.url, peer.token).messages(conversation.id, {
      limit: 100,
    });
    assert.equal(stored.length, accepted);
  });
});
