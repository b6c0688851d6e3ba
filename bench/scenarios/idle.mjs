// How many idle authenticated sockets one API process holds, and what each costs in memory:
// RSS of the server before and after N connections (from /proc), per socket = delta / N.
import { readFileSync } from 'node:fs';
import { ClientCluster } from '../lib/cluster-of-clients.mjs';
import { cpuMeter, memoryKb } from '../lib/proc.mjs';
import { registerUsers } from '../lib/rest.mjs';
import { startApi } from '../lib/server.mjs';
import { round, summarize } from '../lib/stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The server's open-file limit: each socket is one descriptor, so it caps the sockets. */
function fdLimit(pid) {
  const m = /Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m ? Number(m[1]) : Infinity;
}

/** Heap used, if the API exposes Prometheus metrics (prom-client's default metrics). */
async function heapUsedBytes(url) {
  try {
    const res = await fetch(`${url}/metrics`);
    if (!res.ok) return null;
    const m = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})? ([\d.e+]+)/m.exec(await res.text());
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** RSS once it stops moving (timers, lazy allocations and GC settle after a burst of connects). */
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

export async function idleScenario(ctx) {
  const { opts, log } = ctx;
  const counts = [...opts.idle].sort((a, b) => a - b);
  const api = await startApi({ database: ctx.database, redisPrefix: ctx.redisPrefix, logFile: ctx.logFile('api-idle'), logLevel: opts.logLevel, extraEnv: opts.env });
  const cluster = await ClientCluster.start(opts.workers);
  try {
    // One descriptor per socket plus the pools, the listener and the runtime's own.
    const limit = fdLimit(api.pid);
    const reserve = 150;
    const target = counts.map((n) => Math.min(n, limit - reserve));
    const needed = target[target.length - 1];
    const t0 = Date.now();
    const users = await registerUsers(api.url, `i${ctx.tag}u`, needed, 32);
    log(`idle: registered ${needed} users in ${((Date.now() - t0) / 1000).toFixed(1)} s; server open-file limit ${limit}`);

    // Spread client sockets over several loopback source addresses: each (source, destination)
    // pair has only ~28k ephemeral ports.
    const localAddresses = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
    const baseline = await settledRssKb(api.pid);
    const heap0 = await heapUsedBytes(api.url);
    const health0 = await healthLatency(api.url);
    log(`idle: baseline RSS ${(baseline / 1024).toFixed(1)} MiB, /health p50 ${health0.p50} ms p99 ${health0.p99} ms`);
    const points = [];
    let connected = 0;
    for (let i = 0; i < target.length; i++) {
      const batch = users.slice(connected, target[i]);
      const t = Date.now();
      const r = await cluster.setup({ url: api.url, users: batch.map(({ id, token }) => ({ id, token })), localAddresses, runTag: 'i', concurrency: 50 });
      const seconds = (Date.now() - t) / 1000;
      connected += r.connected;
      const rss = await settledRssKb(api.pid);
      const heap = await heapUsedBytes(api.url);
      // A quiet minute-fraction: what holding the sockets costs (heartbeats, presence refresh).
      const meter = cpuMeter({ pids: { server: api.pid } });
      await sleep(opts.quick ? 3000 : 10_000);
      const cpu = meter.stop();
      const health = await healthLatency(api.url);
      const progress = await cluster.progress(-1);
      const point = {
        requested: counts[i],
        connected,
        stillConnected: progress.connected,
        failed: r.failed,
        errors: r.errors,
        connectPerSec: round(r.connected / seconds),
        rssMiB: round(rss / 1024),
        perSocketKb: round((rss - baseline) / connected),
        heapPerSocketKb: heap0 !== null && heap !== null ? round((heap - heap0) / 1024 / connected) : null,
        idleServerCpuPct: cpu.serverCpuPct,
        healthP50Ms: health.p50,
        healthP99Ms: health.p99,
        cappedByFdLimit: target[i] < counts[i],
      };
      points.push(point);
      log(`idle: ${connected} sockets (${r.failed} failed, ${point.connectPerSec}/s): RSS ${point.rssMiB} MiB, ${point.perSocketKb} KB/socket` +
        `${point.heapPerSocketKb !== null ? ` (heap ${point.heapPerSocketKb} KB)` : ''}, idle CPU ${cpu.serverCpuPct}%, /health p99 ${health.p99} ms` +
        (point.cappedByFdLimit ? ` (capped by the open-file limit ${limit})` : ''));
    }
    return { fdLimit: limit, baselineRssMiB: round(baseline / 1024), health: health0, points, target: { perSocketKb: 15 } };
  } finally {
    await cluster.close();
    await api.stop();
  }
}
