// Fault: one of two instances is killed (SIGKILL: no shutdown hook runs) with users on it.
// k1 reconnects to the surviving instance, as a load balancer would send it, resends what got
// no ack and catches up with `after=<seq>`; k2 never comes back. The survivor must notice the
// dead instance by its expired heartbeat (5 s beat, 15 s TTL) and announce k2 offline to its
// contacts, without taking k1 (back online elsewhere) offline.
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
import { Receiver, Sender, verifyStored } from './load';
import { prerequisites, sleep, startTopology, until, type Topology } from './topology';

const RATE = 20;
const KILL_AT_MS = 2_000;
/** Presence promise (docs/architecture.md): a dead instance's users are offline in ~15-25 s. */
const OFFLINE_WITHIN_MS = 25_000;

const options = { ...prerequisites({ postgres: true, redis: true }), timeout: 30_000 };
let topology: Topology;
let pg: PostgresProcess;
let a: ServerProcess;
let b: ServerProcess;
type Scenario = Awaited<ReturnType<typeof runScenario>>;
let seen: Scenario;

before(
  async () => {
    if (options.skip) return;
    topology = await startTopology('kill', [{}, {}]);
    ({ pg } = topology);
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
  const [w, k1, k2] = await Promise.all(['kw', 'kk1', 'kk2'].map((n) => registerUser(b.url, n)));
  const conv1 = await new RestClient(b.url, w.token).direct(k1.id);
  await new RestClient(b.url, w.token).direct(k2.id);

  // The watcher w is on the surviving instance B; k1 and k2 only on A.
  const watcher = new Receiver('w');
  watcher.attach(await connectSocket(b.url, w.token));
  const k1Inbox = new Receiver('k1');
  const k1Socket = k1Inbox.attach(await connectSocket(a.url, k1.token));
  await connectSocket(a.url, k2.token);
  await until(
    () =>
      ['online', 'online'].every((_, i) =>
        watcher.presence.some((p) => p.event === 'online' && p.userId === [k1, k2][i].user.id),
      ),
    {
      timeoutMs: 5_000,
      what: 'user:online for k1 and k2 at w (across instances)',
    },
  ).catch(() => undefined);
  const onlineSeenAcross = [k1, k2].map((k) =>
    watcher.presence.some((p) => p.event === 'online' && p.userId === k.user.id),
  );

  // Both directions of conv1 carry load through the kill.
  // w sends from a second device, so that its watcher socket also sees its own messages.
  const fromW = new Sender({
    name: 'w',
    socket: await connectSocket(b.url, w.token),
    conversationId: conv1.id,
    ratePerSecond: RATE,
  });
  const fromK1 = new Sender({
    name: 'k1',
    socket: k1Socket,
    conversationId: conv1.id,
    ratePerSecond: RATE,
    receiver: k1Inbox,
  });
  const disconnected = new Promise<{ at: number; reason: string }>((resolve) =>
    k1Socket.once('disconnect', (reason) => resolve({ at: Date.now(), reason })),
  );
  const loadW = fromW.run(KILL_AT_MS + 5_000);
  const loadK1 = fromK1.run(KILL_AT_MS + 5_000);

  await sleep(KILL_AT_MS);
  const killedAt = Date.now();
  a.kill('SIGKILL');
  await a.exited;

  // The balancer sends k1 to B: a new connection with the same token.
  const gone = await Promise.race([disconnected, sleep(30_000).then(() => null)]);
  const disconnectNoticedMs = gone ? gone.at - killedAt : null;
  const disconnectReason = gone?.reason;
  const k1Again = k1Inbox.attach(await connectSocket(b.url, k1.token));
  const reconnectedMs = Date.now() - killedAt;
  fromK1.socket = k1Again; // the rest of its load goes through B
  await Promise.all([loadW, loadK1]);
  await Promise.all([fromW.settle(), fromK1.settle()]);
  const k1FirstTry = fromK1.summary();
  const stillUnacked =
    (await fromK1.resendUnacked({ socket: k1Again })) + (await fromW.resendUnacked());
  await sleep(300);
  const k1CaughtUp = await k1Inbox.catchUp(b.url, k1.token, conv1.id);
  const stored = await verifyStored(pg.url, conv1.id, [fromW, fromK1]);
  const k1Seqs = k1Inbox.seqs(conv1.id);
  const all = Array.from({ length: stored.rowsInConversation }, (_, i) => i + 1);
  const k1Duplicates = k1Inbox.duplicates;

  // Presence: k2 had a device only on A.
  const offline = await until(
    () => watcher.presence.find((p) => p.event === 'offline' && p.userId === k2.user.id),
    {
      timeoutMs: OFFLINE_WITHIN_MS + 10_000 - (Date.now() - killedAt),
      everyMs: 100,
      what: 'user:offline for k2',
    },
  ).catch(() => null);
  const k2OfflineEventMs = offline ? offline.at - killedAt : null;
  const k2OfflineLastSeen = offline?.lastSeen ?? null;
  const k2Status = (await new RestClient(b.url, w.token).user(k2.id)).status;
  const k1Status = (await new RestClient(b.url, w.token).user(k1.id)).status;
  const k1WentOffline = watcher.presence.some(
    (p) => p.event === 'offline' && p.userId === k1.user.id && p.at > killedAt,
  );
  const surviving = b.child.exitCode === null;
  return {
    onlineSeenAcross,
    disconnectNoticedMs,
    disconnectReason,
    reconnectedMs,
    k1FirstTry,
    k1CaughtUp,
    stored,
    k1Seqs,
    all,
    k1Duplicates,
    stillUnacked,
    k2OfflineEventMs,
    k2OfflineLastSeen,
    k2Status,
    k1Status,
    k1WentOffline,
    surviving,
  };
}

test('instance SIGKILL: the figures', options, (t) => {
  const { stored, k1Seqs, all, ...rest } = seen;
  t.diagnostic(
    `FIGURES instance-kill ${JSON.stringify({ sent: stored?.perSender, rows: stored?.rowsInConversation, lost: stored?.lost, duplicates: stored?.duplicates, seqGaps: stored?.seqGaps, ...rest })}`,
  );
  assert.ok(seen.surviving, 'the surviving instance is still running');
  assert.deepEqual(
    seen.onlineSeenAcross,
    [true, true],
    'w saw k1 and k2 come online across instances',
  );
});

test(
  'instance SIGKILL: its clients reconnect to the other instance, resend and catch up; nothing acked lost or duplicated',
  options,
  () => {
    assert.ok(seen.disconnectNoticedMs !== null, 'k1 noticed the dead instance');
    assert.equal(seen.stored.lost, 0, 'an acked message is missing');
    assert.equal(seen.stored.duplicates, 0);
    assert.equal(seen.stored.seqGaps + seen.stored.seqDupes, 0);
    assert.equal(seen.stillUnacked, 0);
    assert.equal(seen.k1Duplicates, 0);
    assert.deepEqual(seen.k1Seqs, seen.all, 'k1 has every seq of its conversation after catch-up');
  },
);

test(
  'instance SIGKILL: a user connected only to the dead instance goes offline within 25 s, seen from the survivor',
  options,
  () => {
    assert.ok(seen.k2OfflineEventMs !== null, 'user:offline for k2 never reached w');
    assert.ok(
      seen.k2OfflineEventMs <= OFFLINE_WITHIN_MS,
      `user:offline for k2 came ${seen.k2OfflineEventMs} ms after the kill`,
    );
    assert.equal(seen.k2Status, 'offline', 'GET /api/users/:id shows k2 offline');
  },
);

test(
  'instance SIGKILL: a user who reconnected elsewhere stays online through the reaping',
  options,
  () => {
    assert.equal(seen.k1WentOffline, false, 'w got user:offline for k1, who is connected to B');
    assert.equal(seen.k1Status, 'online');
  },
);
