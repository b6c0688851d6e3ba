// Login rate at a stated bcrypt cost: password checks dominate, on libuv's thread pool.
import { RestClient } from '@chat/test-kit';
import { mapLimit, PASSWORD, registerUsers, startBenchApi } from '../lib/targets.mjs';
import { cpuMeter } from '../lib/proc.mjs';
import { round, summarize } from '../lib/stats.mjs';

export async function loginScenario(ctx) {
  const { opts, log } = ctx;
  const out = [];
  for (const cost of opts.loginCosts) {
    const server = await startBenchApi({
      database: ctx.database,
      redisPrefix: ctx.redisPrefix,
      logFile: ctx.logFile(`api-login-${cost}`),
      bcryptCost: cost,
      logLevel: opts.logLevel,
      extraEnv: opts.env,
    });
    try {
      const users = await registerUsers(server.url, `l${ctx.tag}c${cost}u`, 16, 4);
      const rest = new RestClient(server.url);
      // Warm-up: a few logins so JIT and pools are ready.
      await mapLimit(users.slice(0, 4), 4, (u) =>
        rest.login({ username: u.username, password: PASSWORD }),
      );
      const concurrency = 8;
      const samples = [];
      let failed = 0;
      const meter = cpuMeter({ pids: { server: server.pid } });
      const t0 = performance.now();
      const deadline = t0 + opts.loginSeconds * 1000;
      let i = 0;
      // Closed loop of `concurrency` clients, each bounded by the deadline.
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < deadline) {
            const u = users[i++ % users.length];
            const t = performance.now();
            try {
              await rest.login({ username: u.username, password: PASSWORD });
              samples.push(performance.now() - t);
            } catch {
              failed++;
            }
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = meter.stop();
      const s = summarize(samples);
      const r = {
        bcryptCost: cost,
        concurrency,
        logins: samples.length,
        failed,
        loginsPerSec: round(samples.length / seconds),
        p50Ms: round(s.p50),
        p99Ms: round(s.p99),
        serverCpuPct: cpu.serverCpuPct,
        machineBusyPct: cpu.machineBusyPct,
      };
      log(
        `login: bcrypt cost ${cost}: ${r.loginsPerSec} logins/s (${concurrency} concurrent), p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms, server CPU ${r.serverCpuPct}%, ${failed} failed`,
      );
      out.push(r);
    } finally {
      await server.stop();
    }
  }
  return { results: out };
}
