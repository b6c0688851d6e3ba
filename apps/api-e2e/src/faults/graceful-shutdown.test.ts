// Fault: SIGTERM to one of two instances (a deploy, a scale-down) in the middle of a send burst.
// Promises checked: it stops taking new connections at once, finishes the sends it already
// received (each one emitted before the signal gets its ack: no ack is lost), closes its
// sockets so that clients reconnect to the other instance, exits 0 within SHUTDOWN_GRACE_MS,
// and every acked message is stored exactly once (the unacked ones too, once resent).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  RestClient,
  closeAllSockets,
  connectSocket,
  registerUser,
  type ChatSocket,
  type PostgresProcess,
  type ServerProcess,
} from '@chat/test-kit';
import { HealthSampler, Receiver, Sender, verifyStored } from './load';
import { prerequisites, sleep, startTopology, until, type Topology } from './topology';

const GRACE_MS = 5_000;
const BURST = 200;
/** Signal delivery and the first turn of the event loop: attempts after this must be refused. */
const SIGNAL_MARGIN_MS = 50;

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
    topology = await startTopology('term', [{ SHUTDOWN_GRACE_MS: String(GRACE_MS) }, {}]);
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
  const [s, r] = await Promise.all(['ts', 'tr'].map((n) => registerUser(b.url, n)));
  const conv = await new RestClient(b.url, s.token).direct(r.id);
  const inbox = new Receiver('r');
  inbox.attach(await connectSocket(b.url, r.token)); // the reader is on B, the instance that stays
  const sInbox = new Receiver('s');
  const sSocket = sInbox.attach(await connectSocket(a.url, s.token));
  const sender = new Sender({
    name: 's',
    socket: sSocket,
    conversationId: conv.id,
    receiver: sInbox,
  });
  const closed = new Promise<{ at: number; reason: string }>((resolve) =>
    sSocket.once('disconnect', (reason) => resolve({ at: Date.now(), reason })),
  );
  const health = new HealthSampler(a.url, 50, 1000).start();

  // Warm-up, then a burst the server is still working through when the signal comes.
  await sender.run(1_000);
  // The signal goes out once the burst has left the client (written to the kernel), but before
  // the server has acked it all: those sends are in flight on the server.
  [...Array(BURST)].forEach(() => void sender.emitOne());
  await until(() => (wsBuffered(sSocket) ?? 0) === 0, {
    timeoutMs: 2_000,
    everyMs: 1,
  });
  await sleep(2);
  const sigtermAt = Date.now();
  a.kill('SIGTERM');
  const unackedAtSigterm = sender.unacked.length;

  // New connections after the signal: each attempt on its own, every 100 ms, until exit.
  const attempts: { afterSigtermMs: number; result: string; closedAfterMs?: number }[] = [];
  const exited = a.exited.then((how) => ({ ...how, at: Date.now() }));
  let done = false;
  void exited.then(() => (done = true));
  const prober = (async () => {
    for (let i = 0; i < 100 && !done; i++) {
      const at = Date.now();
      const attempt: (typeof attempts)[number] = {
        afterSigtermMs: at - sigtermAt,
        result: 'pending',
      };
      attempts.push(attempt);
      connectSocket(a.url, s.token, { timeoutMs: 1_000 }).then(
        (sock) => {
          attempt.result = 'connected';
          sock.once('disconnect', () => (attempt.closedAfterMs = Date.now() - at));
        },
        (err: Error) => (attempt.result = `refused: ${err.message}`),
      );
      await sleep(100);
    }
  })();
  // The sender keeps going after the signal, as a real client would.
  const after = sender.run(2_000);

  const gone = await Promise.race([closed, sleep(GRACE_MS + 5_000).then(() => null)]);
  const how = await Promise.race([exited, sleep(GRACE_MS + 10_000).then(() => null)]);
  sender.running = false;
  await after;
  await prober;
  await health.stop();
  await sleep(1_200); // the last connection attempts end
  // The balancer's job: the client reconnects to B and resends what got no ok ack.
  const sAgain = sInbox.attach(await connectSocket(b.url, s.token));
  await sender.settle();
  const beforeSig = [...sender.sent.values()].filter((e) => e.emittedAt < sigtermAt);
  const emittedBeforeSigterm = beforeSig.length;
  const ackedBeforeResend = beforeSig.filter((e) => e.message).length;
  const inFlightAckLost = beforeSig.filter((e) => !e.message).length;
  const inFlightAckCodes = countBy(
    beforeSig.filter((e) => !e.message).map((e) => e.acks[0]?.code ?? 'none'),
  );
  const emittedAfterSigterm = sender.sent.size - beforeSig.length;
  const firstTry = sender.summary();
  const stillUnacked = await sender.resendUnacked({ socket: sAgain });
  const stored = await verifyStored(pg.url, conv.id, [sender]);
  await sleep(300);
  const readerCaughtUp = await inbox.catchUp(b.url, r.token, conv.id);
  const readerSeqs = inbox.seqs(conv.id);
  const readerDuplicates = inbox.duplicates;
  const all = Array.from({ length: stored.rowsInConversation }, (_, i) => i + 1);
  const exit = how && { code: how.code, signal: how.signal, afterSigtermMs: how.at - sigtermAt };
  const socketClosed = gone && {
    afterSigtermMs: gone.at - sigtermAt,
    reason: gone.reason,
    beforeExit: how ? gone.at <= how.at : null,
  };

  const acceptedAfterSigterm = attempts.filter(
    (x) => x.result === 'connected' && x.afterSigtermMs >= SIGNAL_MARGIN_MS,
  );
  const healthAfterSigterm = health.describe(sigtermAt, Date.now());
  const logs = a.logs().split('\n').filter(Boolean).slice(-10).join('\n');
  return {
    unackedAtSigterm,
    emittedBeforeSigterm,
    ackedBeforeResend,
    inFlightAckLost,
    inFlightAckCodes,
    emittedAfterSigterm,
    firstTry,
    stillUnacked,
    stored,
    readerCaughtUp,
    readerSeqs,
    readerDuplicates,
    all,
    exit,
    socketClosed,
    attempts,
    acceptedAfterSigterm,
    healthAfterSigterm,
    logs,
  };
}

/** How many bytes the engine's WebSocket still holds (socket.io-client does not type `ws`). */
function wsBuffered(socket: ChatSocket): number | undefined {
  const transport = socket.io.engine.transport as unknown as { ws?: { bufferedAmount: number } };
  return transport.ws?.bufferedAmount;
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

test('SIGTERM: the figures; the instance exits 0 within SHUTDOWN_GRACE_MS', options, (t) => {
  const { stored, readerSeqs, all, attempts, logs, ...rest } = seen;
  t.diagnostic(
    `FIGURES graceful-shutdown ${JSON.stringify({
      sent: stored?.perSender,
      rows: stored?.rowsInConversation,
      lost: stored?.lost,
      duplicates: stored?.duplicates,
      seqGaps: stored?.seqGaps,
      connectAttempts: attempts?.map((x) => `${x.afterSigtermMs}ms ${x.result.slice(0, 40)}`),
      ...rest,
    })}`,
  );
  assert.ok(seen.exit, `the instance did not exit; logs:\n${logs}`);
  assert.equal(
    seen.exit.code,
    0,
    `exit code ${seen.exit.code} (${seen.exit.signal}); logs:\n${logs}`,
  );
  assert.ok(
    seen.exit.afterSigtermMs <= GRACE_MS,
    `exited ${seen.exit.afterSigtermMs} ms after SIGTERM (grace ${GRACE_MS} ms)`,
  );
});

test(
  'SIGTERM: every send emitted before the signal is acked (in-flight sends finish, no ack lost)',
  options,
  () => {
    assert.ok(seen.emittedBeforeSigterm >= BURST, 'the burst was emitted before the signal');
    assert.ok(
      seen.unackedAtSigterm > 0,
      'nothing was in flight at the signal: the test proves nothing',
    );
    assert.equal(
      seen.inFlightAckLost,
      0,
      `${seen.inFlightAckLost} of ${seen.emittedBeforeSigterm} sends emitted before SIGTERM got no ok ack (${JSON.stringify(seen.inFlightAckCodes)})`,
    );
  },
);

test(
  'SIGTERM: every acked message stored exactly once; resends through the other instance deduplicated; gap-free',
  options,
  () => {
    assert.equal(seen.stored.lost, 0, 'an acked message is missing');
    assert.equal(seen.stored.duplicates, 0);
    assert.equal(seen.stored.ackMismatch, 0);
    assert.equal(seen.stored.seqGaps + seen.stored.seqDupes, 0);
    assert.equal(seen.stillUnacked, 0);
    assert.equal(seen.readerDuplicates, 0);
    assert.deepEqual(seen.readerSeqs, seen.all, 'the reader on the other instance has every seq');
  },
);

test('SIGTERM: sockets are closed before exit, so clients reconnect elsewhere', options, () => {
  assert.ok(seen.socketClosed, 'the client socket was never closed');
  assert.equal(seen.socketClosed.beforeExit, true);
});

test('SIGTERM: no new connection is accepted after the signal', options, () => {
  assert.ok(seen.attempts.length >= 1);
  assert.deepEqual(
    seen.acceptedAfterSigterm.map(
      (x) => `${x.afterSigtermMs} ms after SIGTERM, closed after ${x.closedAfterMs ?? 'never'} ms`,
    ),
    [],
    'connections accepted after SIGTERM',
  );
});
