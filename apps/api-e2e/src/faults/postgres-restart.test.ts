// Fault: PostgreSQL restarts (fast shutdown, ~1.5 s down, start again on the same port) in the
// middle of a steady send load, with the API left running.
// Promises checked: nothing acked is lost, a resend with the same clientId stores nothing twice,
// seq stays gap-free, /health says 503 while the database is down and 200 after, and the API
// recovers by itself (same PID, no restart).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RestClient,
  closeAllSockets,
  connectSocket,
  registerUser,
  type PostgresProcess,
  type ServerProcess,
} from '@chat/test-kit';
import { HealthSampler, Receiver, Sender, verifyStored } from './load';
import { prerequisites, sleep, startTopology, until, type Topology } from './topology';

const SENDERS = 3;
const RATE = 50; // messages per second per sender
const LOAD_MS = 6_000;
const RESTART_AT_MS = 2_500;
const DOWN_MS = 1_500;

const options = { ...prerequisites({ postgres: true, redis: true }), timeout: 110_000 };
let topology: Topology;
let pg: PostgresProcess;
let server: ServerProcess;

before(async () => {
  if (options.skip) return;
  topology = await startTopology('pg');
  ({ pg } = topology);
  [server] = topology.apis;
});

after(async () => {
  closeAllSockets();
  await topology?.stop();
});

test(
  'PostgreSQL restart under load: acked messages kept exactly once, resends deduplicated, seq gap-free, /health 503 then 200, API recovers by itself',
  options,
  async (t) => {
    const apiPid = server.child.pid;
    const people = await Promise.all(
      [...Array(SENDERS)].map((_, i) => registerUser(server.url, `pgs${i}`)),
    );
    const reader = await registerUser(server.url, 'pgr');
    const [owner, ...others] = people;
    assert.ok(owner);
    const conv = await new RestClient(server.url, owner.token).group(
      'faults',
      [...others, reader].map((m) => m.id),
    );

    const receiver = new Receiver('reader');
    receiver.attach(await connectSocket(server.url, reader.token));
    const senders = await Promise.all(
      people.map(
        async (p, i) =>
          new Sender({
            name: `s${i}`,
            socket: await connectSocket(server.url, p.token),
            conversationId: conv.id,
            ratePerSecond: RATE,
          }),
      ),
    );

    const health = new HealthSampler(server.url, 100).start();
    const loadStart = Date.now();
    const load = Promise.all(senders.map((s) => s.run(LOAD_MS)));

    await sleep(RESTART_AT_MS);
    const stopAt = Date.now();
    await pg.stop('SIGINT'); // fast shutdown: open connections are cut
    const downAt = Date.now();
    await sleep(DOWN_MS);
    const startAt = Date.now();
    await pg.start();
    const upAt = Date.now();

    await load;
    await Promise.all(senders.map((s) => s.settle()));

    // Recovery: /health answers 200 again and sends are acked again, without touching the API.
    const okAgain = await until(() => health.firstAfter(upAt, 200), {
      timeoutMs: 30_000,
      what: '/health 200 after PostgreSQL is back',
    });
    const firstOkAfterUp = Math.min(
      ...senders.flatMap((s) =>
        [...s.sent.values()].flatMap((e) =>
          e.acks.filter((a) => a.ok && a.at >= upAt).map((a) => a.at),
        ),
      ),
    );
    await health.stop();

    const firstTry = senders.map((s) => s.summary());
    // The client's duty: resend whatever got no ok ack, with the same clientId.
    const stillUnacked = (await Promise.all(senders.map((s) => s.resendUnacked()))).reduce(
      (a, b) => a + b,
      0,
    );
    const stored = await verifyStored(pg.url, conv.id, senders);
    await sleep(300); // let the last message:new arrive before comparing
    const caughtUp = await receiver.catchUp(server.url, reader.token, conv.id);

    const downSamples = health.between(downAt, startAt);
    const figures = {
      sent: stored.perSender,
      firstTry: {
        acked: firstTry.reduce((a, s) => a + s.ackedFirstTry, 0),
        refused: firstTry.reduce((a, s) => a + s.refusedFirstTry, 0),
        timedOut: firstTry.reduce((a, s) => a + s.timedOutFirstTry, 0),
      },
      resentAfterRecovery: firstTry.reduce((a, s) => a + (s.sent - s.ackedFirstTry), 0),
      stillUnacked,
      storedRows: stored.rowsInConversation,
      lastSeq: stored.lastSeq,
      lost: stored.lost,
      duplicates: stored.duplicates,
      seqGaps: stored.seqGaps,
      seqDupes: stored.seqDupes,
      ackMismatch: stored.ackMismatch,
      postgresStopMs: downAt - stopAt,
      postgresDownMs: upAt - downAt,
      health503Window: health.window(503),
      healthWhileDown: health.describe(downAt, startAt),
      healthOkAfterUpMs: okAgain.at - upAt,
      firstAckAfterUpMs: Number.isFinite(firstOkAfterUp) ? firstOkAfterUp - upAt : null,
      receiverDuplicates: receiver.duplicates,
      receiverCaughtUp: caughtUp,
      loadMs: Date.now() - loadStart,
    };
    t.diagnostic(`FIGURES postgres-restart ${JSON.stringify(figures)}`);

    assert.equal(server.child.exitCode, null, 'the API must not exit when PostgreSQL goes away');
    assert.equal(server.child.pid, apiPid);
    assert.equal(stored.lost, 0, 'an acked message is missing from the database');
    assert.equal(stored.duplicates, 0, 'a clientId is stored more than once');
    assert.equal(stored.ackMismatch, 0, 'an ack named a message other than the stored one');
    assert.equal(stillUnacked, 0, 'some messages were never acked after recovery');
    assert.equal(stored.missingUnacked, 0);
    assert.equal(
      stored.rowsInConversation,
      SENDERS * Math.round(LOAD_MS / (1000 / RATE)),
      'every sent message stored once',
    );
    assert.equal(stored.seqGaps, 0, 'seq has gaps');
    assert.equal(stored.seqDupes, 0, 'seq has duplicates');
    assert.equal(
      stored.lastSeq,
      stored.rowsInConversation,
      'conversations.last_seq must equal the number of messages',
    );
    assert.ok(downSamples.length >= 5, `too few /health samples while down: ${downSamples.length}`);
    assert.deepEqual(
      downSamples.filter((s) => s.status !== 503),
      [],
      '/health must answer 503 (not 200, not time out after 3 s) while PostgreSQL is down',
    );
    assert.ok(
      figures.healthOkAfterUpMs < 15_000,
      `/health took ${figures.healthOkAfterUpMs} ms to recover`,
    );
    assert.equal(receiver.duplicates, 0, 'a reader got the same message:new twice');
    assert.deepEqual(
      receiver.seqs(conv.id),
      Array.from({ length: stored.rowsInConversation }, (_, i) => i + 1),
      'live events plus catch-up give the reader every seq once',
    );
  },
);
