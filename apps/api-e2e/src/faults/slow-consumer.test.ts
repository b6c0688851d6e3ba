// Fault: stalled consumers. A member's devices connect (hand-made WebSocket, see stalledClient)
// and then never read nor answer pings, while two others send ~4 KB messages to the group at
// 100/s each. Everything sent to a stalled socket piles up in the server, first in the kernel,
// then in the process. Promises checked: the server drops a consumer that stopped reading
// (Socket.IO heartbeat: pingInterval 20 s + pingTimeout 20 s), so the memory it holds for it is
// bounded; its RSS stays within a budget meanwhile; and the other members' send->receive
// latency stays low.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RestClient,
  closeAllSockets,
  connectSocket,
  registerUser,
  rssKb,
  type ServerProcess,
} from '@chat/test-kit';
import { Receiver, Sender, percentile, stalledClient, type StalledClient } from './load';
import { prerequisites, sleep, startTopology, until, type Topology } from './topology';

const STALLED = 4;
const RATE = 100; // per sender, two senders
const CONTENT = 'x'.repeat(3_900);
const WARMUP_MS = 8_000; // the heap grows with the load alone at first: measure after it
/** The heartbeat (20 s + 20 s) plus slack: a consumer that stopped reading is gone by then. */
const DROP_WITHIN_MS = 45_000;
/** RSS growth allowed while the consumers are stalled (they are sent ~130 MB meanwhile). */
const RSS_BUDGET_MB = 150;

const options = { ...prerequisites({ postgres: true, redis: true }), timeout: 30_000 };
let topology: Topology;
let server: ServerProcess;
type Scenario = Awaited<ReturnType<typeof runScenario>>;
let seen: Scenario;

before(
  async () => {
    if (options.skip) return;
    topology = await startTopology('slow');
    [server] = topology.apis;
    seen = await runScenario();
  },
  { timeout: 110_000 },
);

after(async () => {
  closeAllSockets();
  await topology?.stop();
});

async function runScenario() {
  const [s1, s2, r, slow] = await Promise.all(
    ['ss1', 'ss2', 'sr', 'sslow'].map((n) => registerUser(server.url, n)),
  );
  const conv = await new RestClient(server.url, s1.token).group(
    'faults',
    [s2, r, slow].map((m) => m.id),
  );
  const inbox = new Receiver('r');
  inbox.attach(await connectSocket(server.url, r.token));
  const senders = await Promise.all(
    [s1, s2].map(
      async (u, i) =>
        new Sender({
          name: `s${i}`,
          socket: await connectSocket(server.url, u.token),
          conversationId: conv.id,
          ratePerSecond: RATE,
        }),
    ),
  );
  // Content ends with "@<send time>" so that the reader can measure latency.
  for (const s of senders) {
    const emit = s.emitOne.bind(s);
    s.emitOne = (clientId?: string, content?: string) =>
      emit(clientId, content ?? `${CONTENT} ${s.name} @${Date.now()}`);
  }

  const { pid } = server;
  const rss: { t: number; mb: number }[] = [];
  const t0 = Date.now();
  const sampler = setInterval(() => {
    const kb = rssKb(pid);
    if (kb !== null) rss.push({ t: Date.now() - t0, mb: kb / 1024 });
  }, 500);
  const load = Promise.all(senders.map((s) => s.run(WARMUP_MS + DROP_WITHIN_MS + 3_000)));

  await sleep(WARMUP_MS);
  const baselineMb = Math.max(...rss.slice(-4).map((x) => x.mb));
  inbox.latencies.length = 0; // judge latency while the consumers are stalled
  const stalledAt = Date.now();
  const stalled: StalledClient[] = [];
  for (let i = 0; i < STALLED; i++) stalled.push(await stalledClient(server.url, slow.token));

  const dropped = await until(
    () => inbox.presence.find((p) => p.event === 'offline' && p.userId === slow.user.id),
    {
      timeoutMs: DROP_WITHIN_MS + 3_000,
      everyMs: 100,
      what: 'the stalled consumer to be dropped',
    },
  ).catch(() => null);
  const droppedAt = dropped ? dropped.at : null;
  const stallLatencies = [...inbox.latencies];
  const sentDuringStall = senders.reduce(
    (n, s) =>
      n +
      [...s.sent.values()].filter(
        (e) => e.emittedAt >= stalledAt && (!droppedAt || e.emittedAt < droppedAt),
      ).length,
    0,
  );
  const peakMb = Math.max(...rss.filter((x) => x.t >= stalledAt - t0).map((x) => x.mb));
  for (const s of senders) s.running = false;
  await load;
  await Promise.all(senders.map((s) => s.settle()));
  await sleep(1_000);
  clearInterval(sampler);
  for (const s of stalled) s.close();

  return {
    stalledSockets: STALLED,
    sentDuringStall,
    pushedToStalledMb: Math.round(
      (sentDuringStall * (CONTENT.length + 200) * STALLED) / 1024 / 1024,
    ),
    droppedAfterMs: droppedAt ? droppedAt - stalledAt : null,
    baselineMb: Math.round(baselineMb),
    peakMb: Math.round(peakMb),
    growthMb: Math.round(peakMb - baselineMb),
    endMb: Math.round(rss.at(-1)?.mb ?? 0),
    latencyMs: {
      n: stallLatencies.length,
      p50: percentile(stallLatencies, 50),
      p99: percentile(stallLatencies, 99),
      max: Math.max(0, ...stallLatencies),
    },
    acked: senders.reduce((n, s) => n + s.acked.length, 0),
    sent: senders.reduce((n, s) => n + s.sent.size, 0),
    serverAlive: server.child.exitCode === null,
    rssEvery5s: rss.filter((_, i) => i % 10 === 0).map((x) => Math.round(x.mb)),
  };
}

test('slow consumer: the figures; every send acked, the server alive', options, (t) => {
  t.diagnostic(`FIGURES slow-consumer ${JSON.stringify(seen)}`);
  assert.ok(seen.serverAlive);
  assert.equal(seen.acked, seen.sent, 'every send of the other members is acked');
});

test(
  'slow consumer: the server drops a consumer that stopped reading (bounding what it holds for it)',
  options,
  () => {
    assert.ok(
      seen.droppedAfterMs !== null,
      `stalled consumer still connected ${DROP_WITHIN_MS} ms after it stopped reading`,
    );
    assert.ok(seen.droppedAfterMs <= DROP_WITHIN_MS);
  },
);

test(
  `slow consumer: server RSS grows less than ${RSS_BUDGET_MB} MB while ${STALLED} consumers are stalled`,
  options,
  () => {
    assert.ok(
      seen.growthMb < RSS_BUDGET_MB,
      `RSS grew ${seen.growthMb} MB (from ${seen.baselineMb} to ${seen.peakMb} MB)`,
    );
  },
);

test(
  'slow consumer: the other members keep a low send->receive latency (p99 < 250 ms, max < 1 s)',
  options,
  () => {
    assert.ok(seen.latencyMs.n > 1_000, 'enough messages measured');
    assert.ok((seen.latencyMs.p99 ?? Infinity) < 250, `p99 ${seen.latencyMs.p99} ms`);
    assert.ok(seen.latencyMs.max < 1_000, `max ${seen.latencyMs.max} ms`);
  },
);
