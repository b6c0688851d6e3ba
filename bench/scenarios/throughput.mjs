// Throughput and latency of `message:send` at stepped offered rates, for the product and for
// the two raw references (bare relay, relay with batched PostgreSQL inserts), driven by the
// same load generator, users, conversations and steps.
import { ClientCluster } from '../lib/cluster-of-clients.mjs';
import { backgroundLoad, cpuMeter, processTree } from '../lib/proc.mjs';
import { apiMain, freePort, ROOT } from '@chat/test-kit';
import {
  directConversation,
  groupConversation,
  mapLimit,
  registerUsers,
  startBenchApi,
  startRelay,
} from '../lib/targets.mjs';
import { concat, round, summarize } from '../lib/stats.mjs';
import { checkDatabase, checkDelivery } from '../lib/verify.mjs';
import { dbClient } from '../lib/infra.mjs';
import { summarizeProfile } from '../lib/profile-summary.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connectInspector, inspectorUrl } from '../lib/inspector.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Users in pairs (one direct conversation each) and `groups` disjoint groups of `groupSize`
 * among the first users, created through the product's REST API.
 */
/** After the API migrated: the send path without these indexes, to measure what they cost. */
async function dropIndexes(database, names, log) {
  const db = await dbClient(database);
  try {
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name))
        throw new Error(`--drop-indexes: bad index name ${name}`);
      await db.query(`DROP INDEX ${name}`);
      log(`throughput: dropped index ${name}`);
    }
  } finally {
    await db.end();
  }
}

export async function buildWorld(url, { users: count, groups, groupSize, prefix, log }) {
  const t0 = Date.now();
  const users = await registerUsers(url, prefix, count);
  log(`  registered ${count} users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const members = {};
  const convsOf = new Map(users.map((u) => [u.id, []]));
  const pairs = [];
  for (let i = 0; i + 1 < users.length; i += 2) pairs.push([users[i], users[i + 1]]);
  await mapLimit(pairs, 16, async ([a, b]) => {
    const id = await directConversation(url, a, b);
    members[id] = [a.id, b.id];
    convsOf.get(a.id).push({ id, recipients: 1, group: false });
    convsOf.get(b.id).push({ id, recipients: 1, group: false });
  });
  const groupList = [];
  for (let g = 0; g < groups && (g + 1) * groupSize <= users.length; g++)
    groupList.push(users.slice(g * groupSize, (g + 1) * groupSize));
  await mapLimit(groupList, 8, async (group, g) => {
    const id = await groupConversation(url, group[0], group.slice(1), `bench group ${g}`);
    members[id] = group.map((u) => u.id);
    for (const u of group)
      convsOf.get(u.id).push({ id, recipients: group.length - 1, group: true });
  });
  log(
    `  ${pairs.length} direct conversations, ${groupList.length} groups of ${groupSize} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { users: users.map((u) => ({ ...u, convs: convsOf.get(u.id) })), members };
}

/** One step: send for `stepSeconds`, then wait (bounded) for the acks and deliveries to land. */
async function runStep(
  cluster,
  target,
  { step, rate, stepSeconds, groupShare, drainSeconds, pgPids, pgStats },
) {
  const durationMs = stepSeconds * 1000;
  // PostgreSQL CPU = the backends serving the bench database (other databases' work excluded).
  // The server's CPU includes its children: a cluster entry's workers.
  // A target of several processes (instances behind nginx) names its own pid lists.
  const meter = cpuMeter({
    pids: {
      server: processTree(target.pid),
      ...(target.cpuPids?.() ?? {}),
      postgres: await pgPids(),
    },
    names: ['redis-server'],
  });
  const pg0 = pgStats ? await pgStats() : null;
  const gen = await cluster.step({ step, rate, durationMs, groupShare });
  const deadline = Date.now() + drainSeconds * 1000;
  let p;
  let drained = false;
  // Bounded by the drain deadline.
  while (Date.now() < deadline) {
    p = await cluster.progress(step);
    if (p.inFlight === 0 && p.received >= p.expectedDeliveries) {
      drained = true;
      break;
    }
    await sleep(100);
  }
  const cpu = meter.stop();
  const pg1 = pgStats ? await pgStats() : null;
  const reports = await cluster.stepReport(step);
  const sum = (k) => reports.reduce((a, r) => a + r[k], 0);
  const first = Math.min(...reports.map((r) => r.firstSendAt).filter(Boolean));
  const lastAck = Math.max(...reports.map((r) => r.lastAckAt));
  const lastRecv = Math.max(...reports.map((r) => r.lastRecvAt));
  const errors = {};
  for (const r of reports)
    for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
  const sent = sum('sent');
  const acked = sum('acked');
  const received = sum('received');
  const expectedDeliveries = sum('expectedDeliveries');
  const fanout = acked ? expectedDeliveries / acked : 1;
  // Rates over the time the work really took (first send to last ack / last delivery), so an
  // overloaded server is credited with what it got through, not with what it was offered.
  const ackedPerSec = lastAck > first ? acked / ((lastAck - first) / 1000) : 0;
  const deliveredEventsPerSec = lastRecv > first ? received / ((lastRecv - first) / 1000) : 0;
  const deliveredMsgPerSec = deliveredEventsPerSec / fanout;
  const e2e = summarize(concat(reports.map((r) => r.e2eLat)));
  const ack = summarize(concat(reports.map((r) => r.ackLat)));
  const failed = Object.values(errors).reduce((a, n) => a + n, 0);
  return {
    step,
    offered: rate,
    sentPerSec: round(sent / stepSeconds),
    sent,
    skipped: sum('skipped'),
    acked,
    failed,
    errors,
    ackedPerSec: round(ackedPerSec),
    deliveredMsgPerSec: round(deliveredMsgPerSec),
    deliveredEventsPerSec: round(deliveredEventsPerSec),
    sustainedPerSec: round(Math.min(ackedPerSec, deliveredMsgPerSec)),
    fanout: round(fanout),
    received,
    expectedDeliveries,
    undelivered: Math.max(0, expectedDeliveries - received),
    duplicates: sum('dups'),
    drained,
    latency: Object.fromEntries(Object.entries(e2e).map(([k, v]) => [k, round(v)])),
    ackLatency: Object.fromEntries(Object.entries(ack).map(([k, v]) => [k, round(v)])),
    cpu,
    ...(pg0 && pg1
      ? {
          pg: {
            commits: pg1.commits - pg0.commits,
            walBytes: pg1.walBytes - pg0.walBytes,
          },
        }
      : {}),
    generator: {
      cpuPct: round(gen.reduce((a, g) => a + g.cpuPct, 0)),
      eventLoopP99Ms: round(Math.max(...gen.map((g) => g.eventLoopP99Ms))),
      maxEventLoopUtilization: round(Math.max(...gen.map((g) => g.eventLoopUtilization))),
    },
    connected: p?.connected,
  };
}

/** Why a step counts as past saturation (empty: it kept up). */
function saturation(s) {
  const why = [];
  if (s.sustainedPerSec < 0.9 * s.offered)
    why.push(`throughput ${s.sustainedPerSec}/s < 90% of offered`);
  if (s.latency.p99 > 1000) why.push(`p99 ${s.latency.p99} ms > 1 s`);
  if (s.failed > 0.01 * s.sent) why.push(`${s.failed} failed sends`);
  if (!s.drained) why.push('acks/deliveries still missing at the drain deadline');
  return why;
}

function formatStep(name, s) {
  const l = s.latency;
  return (
    `  ${name.padEnd(9)} ${String(s.offered).padStart(6)}/s offered | acked ${String(s.ackedPerSec).padStart(7)}/s` +
    ` delivered ${String(s.deliveredMsgPerSec).padStart(7)} msg/s | e2e p50 ${l.p50} p95 ${l.p95} p99 ${l.p99} max ${l.max} ms` +
    ` | failed ${s.failed} undelivered ${s.undelivered} dup ${s.duplicates}` +
    ` | cpu server ${s.cpu.serverCpuPct}% pg ${s.cpu.postgresCpuPct}% redis ${s.cpu['redis-serverCpuPct']}% gen ${s.generator.cpuPct}% machine ${s.cpu.machineBusyPct}%`
  );
}

/**
 * Runs the stepped load against one target (product or reference) and collects the results.
 * `opts.localAddresses` spreads the sockets' source addresses (a sticky balancer hashes them);
 * `opts.pgStats` adds the bench database's commits and the server's WAL bytes to each step.
 */
export async function runTarget(name, target, world, opts, log) {
  const background = await backgroundLoad(2000);
  log(`  ${name}: machine ${background}% busy before the run (other work on the machine)`);
  const cluster = await ClientCluster.start(opts.workers);
  const db = await dbClient(opts.database);
  const pgPids = async () =>
    (
      await db.query(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      )
    ).rows.map((r) => r.pid);
  // Commits of the bench database (its backends flush these counters within about a second of
  // going idle) and WAL written by the whole server (other databases' writes included).
  const pgStats = opts.pgStats
    ? async () => {
        const { rows } = await db.query(
          `SELECT xact_commit::float8 AS commits,
                  pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS wal
             FROM pg_stat_database WHERE datname = current_database()`,
        );
        return { commits: rows[0].commits, walBytes: rows[0].wal };
      }
    : null;
  try {
    const t0 = Date.now();
    const conn = await cluster.setup({
      url: target.url,
      users: world.users.map(({ id, token, convs }) => ({ id, token, convs })),
      runTag: opts.tag,
      contentSize: opts.contentSize,
      authWithUserId: opts.authWithUserId ?? name !== 'product',
      localAddresses: opts.localAddresses ?? [],
    });
    log(
      `  ${name}: ${conn.connected} sockets connected in ${((Date.now() - t0) / 1000).toFixed(1)} s (${conn.failed} failed)`,
    );
    if (conn.connected < world.users.length)
      throw new Error(
        `${name}: only ${conn.connected} sockets connected: ${JSON.stringify(conn.errors)}`,
      );
    if (opts.onConnected) await opts.onConnected();

    // Warm-up (JIT, caches, pools), excluded from the results.
    await runStep(cluster, target, {
      step: 0,
      rate: Math.min(500, opts.steps[0]),
      stepSeconds: opts.warmupSeconds,
      groupShare: opts.groupShare,
      drainSeconds: 10,
      pgPids,
      pgStats,
    });

    await opts.profiler?.start();
    const steps = [];
    let stepId = 1;
    for (const rate of opts.steps) {
      const s = await runStep(cluster, target, {
        step: stepId++,
        rate,
        stepSeconds: opts.stepSeconds,
        groupShare: opts.groupShare,
        drainSeconds: opts.drainSeconds,
        pgPids,
        pgStats,
      });
      s.saturated = saturation(s);
      steps.push(s);
      log(
        formatStep(name, s) +
          (s.saturated.length ? `  <- saturated: ${s.saturated.join('; ')}` : ''),
      );
      if (s.saturated.length) break;
    }
    const maxSustained = Math.max(0, ...steps.map((s) => s.sustainedPerSec));
    // The highest offered rate it kept up with (not saturated), as opposed to the most it got
    // through while falling behind.
    const keptUp = Math.max(0, ...steps.filter((s) => !s.saturated.length).map((s) => s.offered));
    let halfMax = null;
    if (opts.halfMax && maxSustained > 0) {
      const rate = Math.max(50, Math.round(maxSustained / 2 / 50) * 50);
      halfMax = await runStep(cluster, target, {
        step: stepId++,
        rate,
        stepSeconds: opts.stepSeconds,
        groupShare: opts.groupShare,
        drainSeconds: opts.drainSeconds,
        pgPids,
        pgStats,
      });
      halfMax.saturated = saturation(halfMax);
      log(formatStep(name, halfMax) + '  <- half of max');
    }
    await opts.profiler?.stop();
    await sleep(1000);
    const final = await cluster.final();
    const delivery = {
      ...checkDelivery(final),
      unexpectedDisconnects: final.unexpectedDisconnects,
      duplicates: steps.reduce((a, s) => a + s.duplicates, 0) + (halfMax?.duplicates ?? 0),
    };
    return {
      name,
      sockets: conn.connected,
      backgroundBusyPct: background,
      steps,
      halfMax,
      maxSustainedPerSec: maxSustained,
      highestRateKeptUp: keptUp,
      delivery,
      acked: final.acked,
    };
  } finally {
    await cluster.close();
    await db.end();
  }
}

export async function throughputScenario(ctx) {
  const { opts, log } = ctx;
  const out = {
    config: {
      users: opts.users,
      groups: opts.groups,
      groupSize: opts.groupSize,
      groupShare: opts.groupShare,
      steps: opts.steps,
      stepSeconds: opts.stepSeconds,
      workers: opts.workers,
      contentSize: opts.contentSize,
      droppedIndexes: opts.dropIndexes,
    },
    targets: {},
  };

  log('throughput: starting the API (BCRYPT_COST=4 for bulk registration)');
  // --profile: V8 CPU profile of the API over the measured steps only (not the registration,
  // the connects or the warm-up), taken through the inspector and summarised below. Under tmp/
  // (git-ignored): profiles are tens of MB.
  const profileDir = join(ROOT, 'tmp/bench-profiles', ctx.tag);
  const inspectPort = opts.profile ? await freePort() : null;
  const api = await startBenchApi({
    database: ctx.database,
    redisPrefix: ctx.redisPrefix,
    logFile: ctx.logFile('api-throughput'),
    logLevel: opts.logLevel,
    extraEnv: opts.env,
    main: apiMain(opts.apiEntry),
    nodeArgs: inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [],
  });
  const profiler = inspectPort
    ? await cpuProfiler(inspectPort, join(profileDir, 'product.cpuprofile'))
    : null;
  let world;
  try {
    if (opts.dropIndexes.length > 0) await dropIndexes(ctx.database, opts.dropIndexes, log);
    world = await buildWorld(api.url, {
      users: opts.users,
      groups: opts.groups,
      groupSize: opts.groupSize,
      prefix: `t${ctx.tag}u`,
      log,
    });
    if (opts.targets.includes('product')) {
      const r = await runTarget(
        'product',
        api,
        world,
        { ...opts, database: ctx.database, tag: 'p', profiler },
        log,
      );
      const db = await dbClient(ctx.database);
      try {
        r.database = await checkDatabase(db, {
          table: 'messages',
          clientIdPrefix: 'p',
          acked: r.acked,
          withLastSeq: true,
        });
      } finally {
        await db.end();
      }
      delete r.acked;
      log(`  product checks: ${JSON.stringify({ ...r.delivery, ...r.database })}`);
      out.targets.product = r;
    }
  } finally {
    profiler?.close();
    await api.stop();
  }
  if (profiler?.file && out.targets.product) {
    const p = { file: profiler.file, ...summarizeProfile(profiler.file, 20) };
    out.targets.product.profile = [p];
    log(
      `  API CPU profile ${p.file} (${p.totalSeconds} s of the measured steps), self time by package: ${p.byPackage
        .slice(0, 10)
        .map((r) => `${r.what} ${r.pct}%`)
        .join(', ')}`,
    );
  }

  for (const [name, withDb] of [
    ['relay', false],
    ['relay-pg', true],
  ]) {
    if (!opts.targets.includes(name)) continue;
    log(`throughput: reference ${name}`);
    const relay = await startRelay({
      database: withDb ? ctx.database : null,
      logFile: ctx.logFile(name),
    });
    try {
      await fetch(`${relay.url}/members`, { method: 'POST', body: JSON.stringify(world.members) });
      const r = await runTarget(
        name,
        relay,
        world,
        { ...opts, database: ctx.database, tag: withDb ? 'r' : 'a', halfMax: opts.halfMaxRefs },
        log,
      );
      if (withDb) {
        const db = await dbClient(ctx.database);
        try {
          r.database = await checkDatabase(db, {
            table: 'bench_relay_messages',
            clientIdPrefix: 'r',
            acked: r.acked,
            withLastSeq: false,
          });
        } finally {
          await db.end();
        }
      }
      r.relayStats = await (await fetch(`${relay.url}/stats`)).json();
      delete r.acked;
      log(`  ${name} checks: ${JSON.stringify({ ...r.delivery, ...(r.database ?? {}) })}`);
      out.targets[name] = r;
    } finally {
      await relay.stop();
    }
  }

  const product = out.targets.product;
  const ref = out.targets['relay-pg'];
  out.summary = {
    apiEntry: opts.apiEntry,
    productMaxSustainedPerSec: product?.maxSustainedPerSec ?? null,
    productHighestRateKeptUp: product?.highestRateKeptUp ?? null,
    relayPgHighestRateKeptUp: ref?.highestRateKeptUp ?? null,
    relayMaxSustainedPerSec: out.targets.relay?.maxSustainedPerSec ?? null,
    relayPgMaxSustainedPerSec: ref?.maxSustainedPerSec ?? null,
    ratioToRelayPg:
      product && ref?.maxSustainedPerSec
        ? round(product.maxSustainedPerSec / ref.maxSustainedPerSec)
        : null,
    ratioTarget: 0.8,
    p99AtHalfMaxMs: product?.halfMax?.latency.p99 ?? null,
    halfMaxRate: product?.halfMax?.offered ?? null,
    p99Target: 50,
  };
  return out;
}

/**
 * Starts and stops V8's CPU profiler in the API through its inspector; `stop` writes the
 * profile to `file` (then `profiler.file` names it).
 */
async function cpuProfiler(port, file) {
  const inspector = await connectInspector(await inspectorUrl(port));
  await inspector.send('Profiler.enable');
  const profiler = {
    file: null,
    start: () => inspector.send('Profiler.start'),
    async stop() {
      const { profile } = await inspector.send('Profiler.stop');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      profiler.file = file;
    },
    close: () => inspector.close(),
  };
  return profiler;
}
