// How many idle authenticated sockets one process holds, and what each costs in memory, for the
// API and, as the floor, the bare Socket.IO relay: RSS (from /proc) and live JS heap (after a
// forced full GC, through the inspector) before and after N connections; per socket = delta / N.
import { readFileSync } from 'node:fs';
import { ClientCluster } from '../lib/cluster-of-clients.mjs';
import {
  connectInspector,
  gcAndHeap,
  inspectorUrl,
  startHeapSampling,
  stopHeapSampling,
} from '../lib/inspector.mjs';
import { cpuMeter, memoryKb } from '../lib/proc.mjs';
import { freePort } from '@chat/test-kit';
import { registerUsers, startBenchApi, startRelay } from '../lib/targets.mjs';
import { round, summarize } from '../lib/stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Spread client sockets over several loopback source addresses: each (source, destination)
// pair has only ~28k ephemeral ports.
const LOCAL_ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];

/** The server's open-file limit: each socket is one descriptor, so it caps the sockets. */
function fdLimit(pid) {
  const m = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? Number(m[1]) : Infinity;
}

/** RSS once it stops moving (lazy allocations settle after a burst of connects). */
async function settledRssKb(pid, maxMs = 15_000) {
  let last = memoryKb(pid).rssKb;
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    await sleep(1000);
    const now = memoryKb(pid).rssKb;
    if (Math.abs(now - last) < 512) return now;
    last = now;
  }
  return last;
}

async function healthLatency(url, n = 100) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await (await fetch(`${url}/health`)).text();
    samples.push(performance.now() - t);
  }
  const s = summarize(samples);
  return { p50: round(s.p50), p99: round(s.p99) };
}

/** Connects the users in steps up to each count, measuring after each step. */
async function measureTarget(
  name,
  server,
  inspectPort,
  users,
  counts,
  { workers, quick, authWithUserId, log },
) {
  const cluster = await ClientCluster.start(workers);
  const inspector = await connectInspector(await inspectorUrl(inspectPort));
  const measure = async () => {
    const heap = await gcAndHeap(inspector);
    return { heap, rss: await settledRssKb(server.pid) };
  };
  try {
    const { rss: baseline, heap: heap0 } = await measure();
    const health0 = await healthLatency(server.url);
    log(
      `idle ${name}: baseline RSS ${(baseline / 1024).toFixed(1)} MiB, heap ${(heap0 / 2 ** 20).toFixed(1)} MiB, /health p99 ${health0.p99} ms`,
    );
    await startHeapSampling(inspector);
    const points = [];
    let connected = 0;
    for (const target of counts) {
      const batch = users.slice(connected, target);
      const t = Date.now();
      const r = await cluster.setup({
        url: server.url,
        users: batch.map(({ id, token }) => ({ id, token })),
        localAddresses: LOCAL_ADDRESSES,
        runTag: 'i',
        concurrency: 50,
        authWithUserId,
      });
      const seconds = (Date.now() - t) / 1000;
      const added = r.connected - connected; // workers report their running totals
      connected = r.connected;
      const { rss, heap } = await measure();
      // A quiet while: what holding the sockets costs (heartbeats, presence refresh).
      const meter = cpuMeter({ pids: { server: server.pid } });
      await sleep(quick ? 3000 : 10_000);
      const cpu = meter.stop();
      const health = await healthLatency(server.url);
      const progress = await cluster.progress(-1);
      const point = {
        target: name,
        requested: target,
        connected,
        stillConnected: progress.connected,
        failed: r.failed,
        errors: r.errors,
        connectPerSec: round(added / seconds),
        rssMiB: round(rss / 1024),
        heapMiB: round(heap / 2 ** 20),
        perSocketKb: round((rss - baseline) / connected),
        heapPerSocketKb: round((heap - heap0) / 1024 / connected),
        idleCpuPct: cpu.serverCpuPct,
        healthP50Ms: health.p50,
        healthP99Ms: health.p99,
      };
      points.push(point);
      log(
        `idle ${name}: ${connected} sockets (${r.failed} failed${r.failed ? ` ${JSON.stringify(r.errors)}` : ''}, ${point.connectPerSec}/s): RSS ${point.rssMiB} MiB = ${point.perSocketKb} KB/socket, live heap ${point.heapPerSocketKb} KB/socket, idle CPU ${cpu.serverCpuPct}%, /health p99 ${health.p99} ms`,
      );
    }
    const heapProfile = await stopHeapSampling(inspector);
    log(
      `idle ${name}: live heap allocated while connecting, by package: ${heapProfile.byPackage
        .slice(0, 8)
        .map((p) => `${p.what} ${Math.round(p.kb / 1024)} MiB`)
        .join(', ')}`,
    );
    return {
      baselineRssMiB: round(baseline / 1024),
      baselineHeapMiB: round(heap0 / 2 ** 20),
      health: health0,
      points,
      heapProfile,
    };
  } finally {
    inspector.close();
    await cluster.close();
  }
}

export async function idleScenario(ctx) {
  const { opts, log } = ctx;
  const counts = [...opts.idle].sort((a, b) => a - b);
  const out = { target: { perSocketKb: 15 }, targets: {} };

  // The inspector (loopback only) lets us force a full GC before each reading: without it the
  // figure would include whatever garbage the burst of handshakes left behind.
  let port = await freePort();
  const api = await startBenchApi({
    database: ctx.database,
    redisPrefix: ctx.redisPrefix,
    logFile: ctx.logFile('api-idle'),
    logLevel: opts.logLevel,
    extraEnv: opts.env,
    nodeArgs: [`--inspect=127.0.0.1:${port}`],
  });
  // One descriptor per socket plus the pools, the listener and the runtime's own.
  const limit = fdLimit(api.pid);
  const capped = counts.map((n) => Math.min(n, limit - 150));
  out.fdLimit = limit;
  out.cappedByFdLimit = capped.some((n, i) => n < counts[i]);
  let users;
  try {
    const t0 = Date.now();
    users = await registerUsers(api.url, `i${ctx.tag}u`, capped[capped.length - 1], 32);
    log(
      `idle: registered ${users.length} users in ${((Date.now() - t0) / 1000).toFixed(1)} s; open-file limit ${limit}${out.cappedByFdLimit ? ` (counts capped at ${limit - 150})` : ''}`,
    );
    out.targets.product = await measureTarget('product', api, port, users, capped, {
      ...opts,
      authWithUserId: false,
      log,
    });
  } finally {
    await api.stop();
  }

  if (opts.targets.includes('relay')) {
    port = await freePort();
    const relay = await startRelay({
      logFile: ctx.logFile('relay-idle'),
      nodeArgs: [`--inspect=127.0.0.1:${port}`],
    });
    try {
      out.targets.relay = await measureTarget('relay', relay, port, users, capped, {
        ...opts,
        authWithUserId: true,
        log,
      });
    } finally {
      await relay.stop();
    }
  }
  out.points = out.targets.product.points;
  return out;
}
