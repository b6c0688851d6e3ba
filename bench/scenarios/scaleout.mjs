// Scale-out: the throughput part's stepped `message:send` load through nginx, first in front of
// one API instance, then in front of two on the same PostgreSQL and Redis (the Socket.IO Redis
// adapter between them). nginx runs the repo's docker/nginx.conf, rendered by
// tools/check-docker.mjs for local upstreams as the balancer e2e test does: sticky
// (`hash $remote_addr consistent`) for /socket.io, least_conn for REST. The client sockets come
// from many loopback source addresses, so the sticky hash spreads them over the instances.
// Per step: sustained msg/s, send->receive p50/p99, and the CPU seconds of every instance, of
// nginx, of the bench database's PostgreSQL backends and of Redis, divided by the messages
// acked: CPU-µs per message, which holds up on a machine shared with other work where msg/s
// does not. Every acked message is then checked as in the throughput part.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, waitForHealth } from '@chat/test-kit';
import { dbClient } from '../lib/infra.mjs';
import { processTree } from '../lib/proc.mjs';
import { round } from '../lib/stats.mjs';
import { startBenchApi } from '../lib/targets.mjs';
import { checkDatabase } from '../lib/verify.mjs';
import { buildWorld, runTarget } from './throughput.mjs';
// tools/ is no package: the one renderer of docker/nginx.conf lives with the docker check.
import { renderNginxConf } from '../../tools/check-docker.mjs';

const NGINX_BINARIES = ['/usr/sbin/nginx', '/usr/bin/nginx'];
/** /metrics is 404 in production without a token: the bench sets one to read socket counts. */
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

export const nginxBinary = () => NGINX_BINARIES.find((p) => existsSync(p)) ?? null;

/**
 * Our own nginx on docker/nginx.conf with `servers` as the upstreams, in a fresh prefix
 * directory, in the foreground (`daemon off`), stopped by its PID (SIGQUIT: graceful).
 */
async function startNginx(servers) {
  const bin = nginxBinary();
  if (!bin) throw new Error('scaleout needs nginx (apt-get install -y nginx)');
  const prefix = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    renderNginxConf(readFileSync(join(ROOT, 'docker/nginx.conf'), 'utf8'), {
      servers,
      listen: `127.0.0.1:${port}`,
      prefix,
    }),
  );
  const args = ['-c', conf, '-p', prefix, '-e', join(prefix, 'error.log')];
  const check = spawnSync(bin, ['-t', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
  const child = spawn(bin, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // If the bench exits without stopping it (Ctrl-C cleans up and exits), nginx goes too.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGQUIT');
  };
  process.once('exit', onExit);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid, 'SIGQUIT');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  if (!(await waitForHealth(url, { timeoutMs: 15_000 }))) {
    await stop();
    throw new Error(`nginx did not answer /health on ${url}: ${prefix}/error.log`);
  }
  return { pid: child.pid, url, prefix, stop };
}

/** chat_sockets_connected of each instance, read from its own /metrics (not through nginx). */
async function socketsPerInstance(instances) {
  return Promise.all(
    instances.map(async (s) => {
      const res = await fetch(`${s.url}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const text = await res.text();
      return Number(/^chat_sockets_connected (\d+)/m.exec(text)?.[1] ?? NaN);
    }),
  );
}

/** CPU-µs per acked message from a step's CPU seconds. */
function perMessage(step, instanceCount) {
  const s = step.cpu.seconds;
  const us = (seconds) => (step.acked > 0 ? round((seconds * 1e6) / step.acked) : null);
  const instances = Array.from({ length: instanceCount }, (_, i) => us(s[`api${i}`]));
  return {
    instances,
    apiTotal: us(s.server),
    nginx: us(s.nginx),
    postgres: us(s.postgres),
    redis: us(s['redis-server']),
    // Of the bench database; the WAL is the server's (other databases' writes included).
    commitsPerMessage: step.pg && step.acked ? round(step.pg.commits / step.acked) : null,
    walBytesPerMessage: step.pg && step.acked ? Math.round(step.pg.walBytes / step.acked) : null,
  };
}

/**
 * Least-squares line through the steps that kept up: a process's CPU (cores) against the acked
 * rate. The slope is its marginal CPU-µs per message; the intercept is the rest: idle work
 * (heartbeats, timers) and per-batch costs that batching spreads thinner as the rate grows
 * (group commit, coalesced writes), so it is not the CPU at zero messages.
 */
function fit(steps, key) {
  const pts = steps
    .filter((s) => !s.saturated.length && s.cpu.seconds[key] !== undefined)
    .map((s) => [s.acked / s.cpu.seconds.wall, s.cpu.seconds[key] / s.cpu.seconds.wall]);
  if (pts.length < 2) return null;
  const n = pts.length;
  const mx = pts.reduce((a, [x]) => a + x, 0) / n;
  const my = pts.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  return { usPerMessage: round(slope * 1e6), idleCorePct: round((my - slope * mx) * 100) };
}

/**
 * One configuration: the first `behind` instances behind a fresh nginx, and `listening` more
 * that hold no socket but are on the same Redis adapter, so that they receive (and drop) every
 * broadcast: their CPU is what the classic adapter costs an instance per broadcast by itself.
 */
async function runBehindNginx(ctx, { name, behind, listening }, instances, world, log) {
  const { opts } = ctx;
  const count = behind + listening;
  const nginx = await startNginx(instances.slice(0, behind).map((s) => `127.0.0.1:${s.port}`));
  log(
    `scaleout: nginx ${nginx.pid} on ${nginx.url} in front of ${instances
      .slice(0, behind)
      .map((s) => s.port)
      .join(', ')}${listening ? `; ${listening} more instance(s) on the adapter only` : ''}`,
  );
  // runTarget meters `server` (the sum); the instances and nginx are metered one by one.
  const target = {
    url: nginx.url,
    pid: instances[0].pid,
    cpuPids: () => ({
      server: instances.flatMap((s) => processTree(s.pid)),
      ...Object.fromEntries(instances.map((s, i) => [`api${i}`, processTree(s.pid)])),
      nginx: processTree(nginx.pid),
    }),
  };
  // 127.0.0.2 .. 127.0.0.(1+N): every loopback address is local on Linux.
  const localAddresses = Array.from({ length: opts.sourceAddresses }, (_, i) => `127.0.0.${i + 2}`);
  let spread = null;
  try {
    // Distinct clientId prefixes per configuration (none a prefix of another).
    const tag = `s${behind}p${listening}q`;
    const r = await runTarget(
      name,
      target,
      world,
      {
        ...opts,
        database: ctx.database,
        tag,
        localAddresses,
        authWithUserId: false,
        pgStats: true,
        // The stepped rates only (no extra step at half of the maximum): CPU per message is
        // what this part is for.
        halfMax: false,
        onConnected: async () => {
          spread = await socketsPerInstance(instances);
        },
      },
      log,
    );
    const db = await dbClient(ctx.database);
    try {
      r.database = await checkDatabase(db, {
        table: 'messages',
        clientIdPrefix: tag,
        acked: r.acked,
        withLastSeq: true,
      });
    } finally {
      await db.end();
    }
    delete r.acked;
    r.instances = count;
    r.behindNginx = behind;
    r.listening = listening;
    r.socketsPerInstance = spread;
    if (opts.keep) r.nginxPrefix = nginx.prefix;
    for (const s of r.steps) s.perMessage = perMessage(s, count);
    const keys = [
      'server',
      ...instances.map((_, i) => `api${i}`),
      'nginx',
      'postgres',
      'redis-server',
    ];
    r.marginal = Object.fromEntries(keys.map((k) => [k, fit(r.steps, k)]));
    log(
      `  ${name} marginal CPU-µs per message (fit over the steps that kept up): ${JSON.stringify(r.marginal)}`,
    );
    log(`  ${name} sockets per instance: ${JSON.stringify(spread)}`);
    log(`  ${name} checks: ${JSON.stringify({ ...r.delivery, ...r.database })}`);
    for (const s of r.steps)
      log(
        `  ${name} ${s.offered}/s: CPU-µs per message ${JSON.stringify(s.perMessage)}` +
          `${s.saturated.length ? ' (saturated)' : ''}`,
      );
    return r;
  } finally {
    await nginx.stop();
    // Its config and logs go with it unless --keep (the access log has a line per socket).
    if (!opts.keep) rmSync(nginx.prefix, { recursive: true, force: true });
  }
}

/**
 * Ratios of each N-instance run to the 1-instance run at each offered rate both kept up with:
 * the fleet's API CPU per message (1.0 = adding instances costs nothing per message), and
 * Redis's and PostgreSQL's.
 */
function compare(targets) {
  const one = targets['1x'];
  if (!one) return null;
  const ok = (t) => t.steps.filter((s) => !s.saturated.length);
  const rows = [];
  for (const [name, t] of Object.entries(targets)) {
    if (t === one) continue;
    for (const a of ok(one)) {
      const b = ok(t).find((s) => s.offered === a.offered);
      if (!b) continue;
      const ratio = (k) =>
        a.perMessage[k] && b.perMessage[k] !== null
          ? round(b.perMessage[k] / a.perMessage[k])
          : null;
      rows.push({
        target: name,
        offered: a.offered,
        apiTotal: [a.perMessage.apiTotal, b.perMessage.apiTotal],
        apiTotalRatio: ratio('apiTotal'),
        redisRatio: ratio('redis'),
        postgresRatio: ratio('postgres'),
      });
    }
  }
  return rows;
}

export async function scaleoutScenario(ctx) {
  const { opts, log } = ctx;
  if (!nginxBinary()) throw new Error('scaleout needs nginx (apt-get install -y nginx)');
  const configs = opts.scaleoutInstances;
  const start = (i) =>
    startBenchApi({
      database: ctx.database,
      redisPrefix: ctx.redisPrefix,
      logFile: ctx.logFile(`api-scaleout-${i}`),
      logLevel: opts.logLevel,
      extraEnv: { METRICS_TOKEN, ...opts.env },
    });
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
      configurations: configs.map((c) => c.name),
      sourceAddresses: opts.sourceAddresses,
      nginx: nginxBinary(),
      nginxVersion: spawnSync(nginxBinary(), ['-v'], { encoding: 'utf8' }).stderr.trim(),
    },
    targets: {},
  };
  log(
    `scaleout: ${configs.map((c) => c.name).join(' then ')} (instances behind nginx + on the adapter only), same database and Redis`,
  );
  const instances = [];
  try {
    instances.push(await start(0));
    const world = await buildWorld(instances[0].url, {
      users: opts.users,
      groups: opts.groups,
      groupSize: opts.groupSize,
      prefix: `s${ctx.tag}u`,
      log,
    });
    for (const config of configs) {
      // Instances are only added (the options check that the totals do not fall).
      while (instances.length < config.behind + config.listening)
        instances.push(await start(instances.length));
      out.targets[config.name] = await runBehindNginx(ctx, config, instances, world, log);
    }
  } finally {
    for (const s of instances.reverse()) await s.stop();
  }
  out.comparison = compare(out.targets);
  return out;
}
