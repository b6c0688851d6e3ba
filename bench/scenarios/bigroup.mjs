// Issue 19, large groups: one group of N members (full 5,000) whose sockets are split over two
// API instances on the same PostgreSQL and Redis, M messages per second (20) for S seconds (30)
// sent by a few members. Each message is one broadcast to the group's `conversation:<id>` room,
// which the Redis adapter carries to the other instance. Reports send->receive latency over every
// delivery, lost and duplicate deliveries, and each instance's RSS before and after the window.
import { ClientCluster } from '../lib/cluster-of-clients.mjs';
import { dbClient } from '../lib/infra.mjs';
import { cpuMeter, cpuSeconds, memoryKb } from '../lib/proc.mjs';
import { concat, round, summarize } from '../lib/stats.mjs';
import { registerUsers, startBenchApi } from '../lib/targets.mjs';
import { checkDatabase, checkDelivery } from '../lib/verify.mjs';
import { RestClient } from '@chat/test-kit';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Ids per create/add request: the API's per-request cap (the 64 KiB body limit). */
const CHUNK = 1000;
const SENDERS = 20;

/** RSS once it stops moving (allocations settle after a burst). */
async function settledRssKb(pid, maxMs = 20_000) {
  let last = memoryKb(pid)?.rssKb ?? NaN;
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = memoryKb(pid)?.rssKb ?? NaN;
    if (Math.abs(now - last) < 1024) return now;
    last = now;
  }
  return last;
}

/**
 * Waits (bounded) until both instances are idle: building the group sends every member a
 * `conversation:updated` per add, work that must not spill into the connect or the window.
 */
async function quiet(pids, maxMs = 180_000) {
  const deadline = Date.now() + maxMs;
  let last = pids.map((pid) => cpuSeconds(pid));
  while (Date.now() < deadline) {
    await sleep(2000);
    const now = pids.map((pid) => cpuSeconds(pid));
    // Under 10 % of a core each over the last 2 s.
    if (now.every((t, i) => t - last[i] < 0.2)) return true;
    last = now;
  }
  return false;
}

const mib = (kb) => round(kb / 1024);

export async function bigroupScenario(ctx) {
  const { opts, log } = ctx;
  const members = opts.bigroupMembers;
  const rate = opts.bigroupRate;
  const seconds = opts.bigroupSeconds;
  const start = (name) =>
    startBenchApi({
      database: ctx.database,
      redisPrefix: ctx.redisPrefix,
      logFile: ctx.logFile(`api-bigroup-${name}`),
      logLevel: opts.logLevel,
      extraEnv: opts.env,
    });
  log(`bigroup: two API instances, a ${members}-member group, ${rate} msg/s for ${seconds} s`);
  const [a, b] = await Promise.all([start('a'), start('b')]);
  const cluster = await ClientCluster.start(opts.workers);
  try {
    let t = Date.now();
    const users = await registerUsers(a.url, `g${ctx.tag}u`, members, 16);
    log(`bigroup: ${members} users registered in ${((Date.now() - t) / 1000).toFixed(0)} s`);

    // Built through the API as a client would: a create and adds of at most 1,000 ids each.
    t = Date.now();
    const [owner, ...others] = users;
    const owned = new RestClient(a.url, owner.token);
    const first = others.slice(0, CHUNK);
    const group = await owned.group(
      'bigroup',
      first.map((u) => u.id),
    );
    for (let i = CHUNK; i < others.length; i += CHUNK) {
      const res = await fetch(`${a.url}/api/conversations/${group.id}/members`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${owner.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ userIds: others.slice(i, i + CHUNK).map((u) => u.id) }),
      });
      if (res.status !== 201) throw new Error(`adding members: ${res.status} ${await res.text()}`);
    }
    const buildSeconds = (Date.now() - t) / 1000;
    const check = await owned.conversations();
    const memberCount = check.find((c) => c.id === group.id)?.memberCount;
    if (memberCount !== members)
      throw new Error(`group has ${memberCount} members, not ${members}`);
    log(`bigroup: group built in ${buildSeconds.toFixed(1)} s; waiting for its fan-out to settle`);
    t = Date.now();
    const settled = await quiet([a.pid, b.pid]);
    const settleSeconds = (Date.now() - t) / 1000;
    log(
      `bigroup: instances ${settled ? 'idle' : 'still busy'} after ${settleSeconds.toFixed(0)} s`,
    );

    // The first SENDERS members send; every socket receives. One socket per user, so a
    // message reaches everyone but its sender (whose only socket has the ack).
    const conv = [{ id: group.id, group: true, recipients: members - 1 }];
    const withConvs = users.map((u, i) => ({
      id: u.id,
      token: u.token,
      convs: i < SENDERS ? conv : [],
    }));
    const onA = withConvs.filter((_, i) => i % 2 === 0);
    const onB = withConvs.filter((_, i) => i % 2 === 1);
    t = Date.now();
    const setupOpts = { runTag: 'g', concurrency: 25, contentSize: opts.contentSize };
    const ra = await cluster.setup({ url: a.url, users: onA, ...setupOpts });
    const rb = await cluster.setup({ url: b.url, users: onB, ...setupOpts });
    const connectSeconds = (Date.now() - t) / 1000;
    if (rb.connected < members)
      throw new Error(
        `only ${rb.connected} of ${members} sockets connected: ${JSON.stringify({ ...ra.errors, ...rb.errors })}`,
      );
    log(
      `bigroup: ${rb.connected} sockets connected (half on each instance) in ${connectSeconds.toFixed(0)} s`,
    );

    await quiet([a.pid, b.pid], 60_000);
    const before = { a: await settledRssKb(a.pid), b: await settledRssKb(b.pid) };
    log(`bigroup: RSS before: A ${mib(before.a)} MiB, B ${mib(before.b)} MiB`);
    const peak = { a: before.a, b: before.b };
    const sampler = setInterval(() => {
      peak.a = Math.max(peak.a, memoryKb(a.pid)?.rssKb ?? 0);
      peak.b = Math.max(peak.b, memoryKb(b.pid)?.rssKb ?? 0);
    }, 500);
    const durationMs = seconds * 1000;
    const meter = cpuMeter({
      pids: { apiA: a.pid, apiB: b.pid },
      names: ['redis-server', 'postgres'],
    });
    const gen = await cluster.step({ step: 1, rate, durationMs, groupShare: 1 });
    const cpu = meter.stop();
    // Bounded by the drain deadline.
    const deadline = Date.now() + opts.drainSeconds * 1000;
    let drained = false;
    while (Date.now() < deadline) {
      const p = await cluster.progress(1);
      if (p.inFlight === 0 && p.received >= p.expectedDeliveries) {
        drained = true;
        break;
      }
      await sleep(200);
    }
    clearInterval(sampler);
    const after = { a: await settledRssKb(a.pid), b: await settledRssKb(b.pid) };
    log(`bigroup: RSS after: A ${mib(after.a)} MiB, B ${mib(after.b)} MiB`);

    const reports = await cluster.stepReport(1);
    const sum = (k) => reports.reduce((acc, r) => acc + r[k], 0);
    const errors = {};
    for (const r of reports)
      for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
    const e2e = summarize(concat(reports.map((r) => r.e2eLat)));
    const ack = summarize(concat(reports.map((r) => r.ackLat)));
    const final = await cluster.final();
    const delivery = checkDelivery(final);
    const db = await dbClient(ctx.database);
    let database;
    try {
      database = await checkDatabase(db, {
        table: 'messages',
        clientIdPrefix: 'g',
        acked: final.acked,
        withLastSeq: true,
      });
    } finally {
      await db.end();
    }
    const result = {
      members,
      instances: 2,
      offeredPerSec: rate,
      seconds,
      buildSeconds: round(buildSeconds),
      // Until both instances were idle after the build (the members' conversation:updated).
      settleSeconds: round(settleSeconds),
      connectSeconds: round(connectSeconds),
      sent: sum('sent'),
      acked: sum('acked'),
      errors,
      expectedDeliveries: sum('expectedDeliveries'),
      received: sum('received'),
      lostDeliveries: delivery.lostDeliveries,
      lostMessages: delivery.lostMessages,
      duplicates: sum('dups'),
      unexpectedDisconnects: final.unexpectedDisconnects,
      drained,
      latency: Object.fromEntries(Object.entries(e2e).map(([k, v]) => [k, round(v)])),
      ackLatency: Object.fromEntries(Object.entries(ack).map(([k, v]) => [k, round(v)])),
      // % of one core over the sending window; the machine's busy share (100 = both cores).
      cpu: { ...cpu, generatorCpuPct: round(gen.reduce((acc, g) => acc + g.cpuPct, 0)) },
      rssMiB: {
        before: { a: mib(before.a), b: mib(before.b) },
        peak: { a: mib(peak.a), b: mib(peak.b) },
        after: { a: mib(after.a), b: mib(after.b) },
      },
      database,
    };
    log(
      `bigroup: ${result.acked}/${result.sent} acked, ${result.received}/${result.expectedDeliveries} delivered, ` +
        `lost ${result.lostDeliveries}, duplicates ${result.duplicates}, send->receive p50 ${result.latency.p50} ms ` +
        `p99 ${result.latency.p99} ms max ${result.latency.max} ms; CPU ${JSON.stringify(result.cpu)}`,
    );
    return result;
  } finally {
    await cluster.close();
    await Promise.all([a.stop(), b.stop()]);
  }
}
