// Fault: Redis stops (SIGTERM) for ~3 s and starts again on the same port while two API
// instances carry a steady send load. Redis runs with its append-only file, as in
// docker/docker-compose.yml, so sessions survive the restart as they do in production.
// The scenario runs once (before); each promise is its own test, so a failure names it:
// both instances survive, nothing acked is lost, each instance keeps acking and delivering to
// its own users, /health says 503 on both meanwhile, cross-instance delivery resumes by itself
// and `after=<seq>` fills the gap, and a valid token is not answered 401 (which logs users out).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RestClient,
  closeAllSockets,
  connectSocket,
  registerUser,
  request,
  type PostgresProcess,
  type ServerProcess,
  type ServiceProcess,
} from '@chat/test-kit';
import { HealthSampler, Receiver, Sender, verifyStored, type SentEntry } from './load';
import { prerequisites, sleep, startTopology, type Topology } from './topology';

const RATE = 20;
const LOAD_MS = 10_000;
const STOP_AT_MS = 3_000;
const DOWN_MS = 3_000;
/** Time the instances get to notice Redis is gone before "while down" is judged. */
const NOTICE_MS = 300;
/** Cross-instance delivery must be back this soon after Redis is (ioredis backs off up to 2 s). */
const RESUME_MS = 3_000;

const options = { ...prerequisites({ postgres: true, redis: true }), timeout: 30_000 };
let topology: Topology;
let pg: PostgresProcess;
let redis: ServiceProcess;
let a: ServerProcess;
let b: ServerProcess;
/** What the scenario observed; every test below judges one part of it. */
type Scenario = Awaited<ReturnType<typeof runScenario>>;
let seen: Scenario;

before(
  async () => {
    if (options.skip) return;
    topology = await startTopology('redis', [{}, {}]);
    ({ pg, redis } = topology);
    [a, b] = topology.apis;
    seen = await runScenario();
  },
  { timeout: 100_000 },
);

after(async () => {
  closeAllSockets();
  await topology?.stop();
});

async function runScenario() {
  // a1, a2 on instance A; b1, b2 on instance B; all four in one group.
  const [a1, a2, b1, b2] = await Promise.all(
    ['ra1', 'ra2', 'rb1', 'rb2'].map((n) => registerUser(a.url, n)),
  );
  const conv = await new RestClient(a.url, a1.token).group(
    'faults',
    [a2, b1, b2].map((m) => m.id),
  );
  const recvA2 = new Receiver('a2');
  const recvB2 = new Receiver('b2');
  recvA2.attach(await connectSocket(a.url, a2.token));
  recvB2.attach(await connectSocket(b.url, b2.token));
  const sendA = new Sender({
    name: 'a1',
    socket: await connectSocket(a.url, a1.token),
    conversationId: conv.id,
    ratePerSecond: RATE,
  });
  const sendB = new Sender({
    name: 'b1',
    socket: await connectSocket(b.url, b1.token),
    conversationId: conv.id,
    ratePerSecond: RATE,
  });
  const healthA = new HealthSampler(a.url, 100).start();
  const healthB = new HealthSampler(b.url, 100).start();

  const load = Promise.all([sendA.run(LOAD_MS), sendB.run(LOAD_MS)]);
  await sleep(STOP_AT_MS);
  await redis.stop('SIGTERM');
  const downAt = Date.now();

  // What a user sees while Redis is down: sessions live in Redis.
  await sleep(NOTICE_MS + 200);
  const newConnectionWhileDown = await connectSocket(a.url, a1.token, { timeoutMs: 2000 }).then(
    (s) => (s.close(), 'connected'),
    (err: Error) => `refused: ${err.message}`,
  );
  const restWhileDown = await request(a.url, 'GET', '/api/auth/me', { token: a1.token }).then(
    (r) => r.status,
    (err: Error) => `no answer: ${err.message}`,
  );

  await sleep(Math.max(0, DOWN_MS - (Date.now() - downAt)));
  const startAt = Date.now();
  await redis.start();
  const upAt = Date.now();

  await load;
  await Promise.all([sendA.settle(), sendB.settle()]);
  await sleep(500); // the last live events
  await Promise.all([healthA.stop(), healthB.stop()]);

  const instances: [string, ServerProcess][] = [
    ['A', a],
    ['B', b],
  ];
  const died = instances
    .filter(([, s]) => s.child.exitCode !== null || s.child.signalCode !== null)
    .map(([name, s]) => ({
      name,
      exit: s.child.exitCode ?? s.child.signalCode,
      lastLines: s
        .logs()
        .split('\n')
        .filter((l) => l && !/ECONNREFUSED/.test(l))
        .slice(-12)
        .join('\n'),
    }));
  // The client's duty: resend what got no ok ack (only through a live instance).
  let stillUnacked = 0;
  for (const sender of [sendA, sendB]) {
    if (sender.socket.connected) stillUnacked += await sender.resendUnacked();
    else stillUnacked += sender.unacked.length;
  }
  const stored = await verifyStored(pg.url, conv.id, [sendA, sendB]);

  const during = (s: Sender): SentEntry[] =>
    [...s.sent.values()].filter((e) => e.emittedAt >= downAt + NOTICE_MS && e.emittedAt < startAt);
  const afterUp = (s: Sender): SentEntry[] =>
    [...s.sent.values()].filter((e) => e.emittedAt >= upAt);
  const gotLive = (r: Receiver, e: SentEntry): boolean =>
    e.message !== undefined && r.byId.get(e.message.id)?.how === 'live';
  const crossAfterUp = (pred: (live: boolean) => boolean): number[] =>
    afterUp(sendA)
      .filter((e) => pred(gotLive(recvB2, e)))
      .concat(afterUp(sendB).filter((e) => pred(gotLive(recvA2, e))))
      .map((e) => e.emittedAt - upAt);
  const crossed = crossAfterUp((x) => x);
  const missed = crossAfterUp((x) => !x);

  const duringA = during(sendA);
  const duringB = during(sendB);
  const liveBeforeCatchUp = { a2: recvA2.byId.size, b2: recvB2.byId.size };
  const caughtUp: { a2?: number; b2?: number } = {};
  if (!died.length) {
    caughtUp.a2 = await recvA2.catchUp(a.url, a2.token, conv.id);
    caughtUp.b2 = await recvB2.catchUp(b.url, b2.token, conv.id);
  }

  const okAfterUp = (health: HealthSampler): number | null => {
    const first = health.firstAfter(upAt, 200);
    return first ? first.at - upAt : null;
  };
  return {
    newConnectionWhileDown,
    restWhileDown,
    died,
    stillUnacked,
    stored,
    all: Array.from({ length: stored.rowsInConversation }, (_, i) => i + 1),
    seqs: { a2: recvA2.seqs(conv.id), b2: recvB2.seqs(conv.id) },
    receiverDuplicates: recvA2.duplicates + recvB2.duplicates,
    sentWhileDown: { a1: duringA.length, b1: duringB.length },
    ackedFirstTryWhileDown: {
      a1: duringA.filter((e) => e.acks[0]?.ok).length,
      b1: duringB.filter((e) => e.acks[0]?.ok).length,
    },
    localDeliveryWhileDown: {
      'a1->a2': duringA.filter((e) => gotLive(recvA2, e)).length,
      'b1->b2': duringB.filter((e) => gotLive(recvB2, e)).length,
    },
    crossDeliveryWhileDown: {
      'a1->b2': duringA.filter((e) => gotLive(recvB2, e)).length,
      'b1->a2': duringB.filter((e) => gotLive(recvA2, e)).length,
    },
    crossResumedAfterUpMs: crossed.length ? Math.min(...crossed) : null,
    lastCrossMissedAfterUpMs: missed.length ? Math.max(...missed) : null,
    healthWhileDown: {
      a: healthA.describe(downAt + NOTICE_MS, startAt),
      b: healthB.describe(downAt + NOTICE_MS, startAt),
    },
    healthDownProbes: {
      a: healthA.between(downAt + NOTICE_MS, startAt),
      b: healthB.between(downAt + NOTICE_MS, startAt),
    },
    healthOkAfterUpMs: { a: okAfterUp(healthA), b: okAfterUp(healthB) },
    redisDownMs: upAt - downAt,
    liveBeforeCatchUp,
    caughtUp,
  };
}

test('Redis outage: both instances survive (no crash)', options, (t) => {
  const { stored, all, seqs, healthDownProbes, died, ...figures } = seen;
  t.diagnostic(
    `FIGURES redis-outage ${JSON.stringify({ sent: stored?.perSender, lost: stored?.lost, duplicates: stored?.duplicates, seqGaps: stored?.seqGaps, died: died?.map((d) => `${d.name} exit ${d.exit}`), ...figures })}`,
  );
  assert.deepEqual(
    died.map((d) => d.name),
    [],
    `instances exited while Redis was down:\n${died.map((d) => `--- ${d.name} (exit ${d.exit})\n${d.lastLines}`).join('\n')}`,
  );
});

test(
  'Redis outage: every acked message stored exactly once, resends deduplicated, seq gap-free',
  options,
  () => {
    assert.equal(seen.stored.lost, 0, 'an acked message is missing');
    assert.equal(seen.stored.duplicates, 0, 'a clientId is stored twice');
    assert.equal(seen.stored.ackMismatch, 0);
    assert.equal(seen.stored.seqGaps + seen.stored.seqDupes, 0, 'seq has gaps or duplicates');
    assert.equal(
      seen.stillUnacked,
      0,
      'messages still unacked after resending through a live instance',
    );
  },
);

test(
  'Redis outage: each instance acks and delivers to its own users while Redis is down',
  options,
  () => {
    assert.ok(
      seen.sentWhileDown.a1 >= 30 && seen.sentWhileDown.b1 >= 30,
      'the load ran through the outage',
    );
    assert.deepEqual(
      seen.ackedFirstTryWhileDown,
      seen.sentWhileDown,
      'every send during the outage is acked at once',
    );
    assert.deepEqual(
      seen.localDeliveryWhileDown,
      { 'a1->a2': seen.sentWhileDown.a1, 'b1->b2': seen.sentWhileDown.b1 },
      'same-instance members get message:new live during the outage',
    );
  },
);

test(
  'Redis outage: /health answers 503 on both instances while Redis is down, 200 after',
  options,
  () => {
    for (const name of ['a', 'b'] as const) {
      const probes = seen.healthDownProbes[name];
      assert.ok(probes.length >= 10, `${name}: too few probes (${probes.length})`);
      assert.deepEqual(
        probes.filter((p) => p.status !== 503),
        [],
        `${name}: every probe started while Redis is down must answer 503 within 3 s`,
      );
      assert.ok(
        (seen.healthOkAfterUpMs[name] ?? Infinity) < 5_000,
        `${name}: /health 200 again after Redis is back`,
      );
    }
  },
);

test(
  'Redis outage: cross-instance delivery resumes by itself and after=<seq> catch-up fills the gap',
  options,
  () => {
    assert.ok(
      seen.crossResumedAfterUpMs !== null && seen.crossResumedAfterUpMs < RESUME_MS,
      `cross-instance delivery resumed at ${seen.crossResumedAfterUpMs} ms`,
    );
    assert.ok(
      seen.lastCrossMissedAfterUpMs === null || seen.lastCrossMissedAfterUpMs < RESUME_MS,
      `cross-instance messages still missed ${seen.lastCrossMissedAfterUpMs} ms after Redis came back`,
    );
    assert.equal(seen.receiverDuplicates, 0, 'a message:new arrived twice');
    assert.deepEqual(seen.seqs.a2, seen.all, 'a2 has every seq once after catch-up');
    assert.deepEqual(seen.seqs.b2, seen.all, 'b2 has every seq once after catch-up');
  },
);

test(
  'Redis outage: REST with a valid token answers 503, not 401 (a 401 logs the web client out)',
  options,
  () => {
    assert.equal(
      seen.restWhileDown,
      503,
      `GET /api/auth/me with a valid token while Redis is down answered ${seen.restWhileDown}`,
    );
  },
);
