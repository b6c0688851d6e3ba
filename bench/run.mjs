#!/usr/bin/env node
// `npm run bench`: the performance benchmark of the chat API (issue 7). Creates its own
// PostgreSQL database and Redis key prefix, runs the chosen parts, writes
// bench/results/<timestamp>.json, prints a table and (full mode) refreshes docs/performance.md's
// figures and docs/perf/latency-throughput.svg. See docs/performance.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanRedisPrefix, createDatabase, dropDatabase } from './lib/infra.mjs';
import { PARTS, parseOptions, USAGE } from './lib/options.mjs';
import { printSummary, writeDocs } from './lib/report.mjs';
import { ROOT } from '@chat/test-kit';

const log = (line) => process.stdout.write(`${line}\n`);

async function main() {
  const args = process.argv.slice(2);
  // --from=a.json[,b.json]: re-render the tables, docs and chart from earlier runs; with
  // several files, each part comes from the last file that has it without an error.
  const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length);
  if (from) {
    const files = from.split(',');
    const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
    const results = { ...runs[0], parts: {}, partSources: {} };
    runs.forEach((r, i) => {
      for (const [part, value] of Object.entries(r.parts)) {
        if (value?.error && results.parts[part]) continue;
        results.parts[part] = value;
        results.partSources[part] = files[i];
      }
    });
    printSummary(results, log);
    if (!args.includes('--no-docs'))
      log(`docs: ${writeDocs(results, resolve(files[0])).join(', ')}`);
    return;
  }
  const opts = parseOptions(args);
  if (opts.help) return void log(USAGE);

  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\..*/, '')
    .replace('T', '_')
    .toLowerCase();
  const tag = stamp.slice(-6);
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const ctx = {
    opts,
    log,
    tag,
    database: `chat_bench_${stamp}`,
    redisPrefix: `bench:${stamp}:`,
    logFile: (name) => join(resultsDir, `${stamp}-${name}.log`),
    extraDatabases: [],
  };

  // A fresh clone has no build yet: make one rather than fail.
  if (opts.build || !existsSync(join(ROOT, 'dist/apps/api/apps/api/src/main.js'))) {
    log('building api and web');
    execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--projects=api,web'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    });
  }

  const results = {
    startedAt: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    argv: process.argv.slice(2),
    machine: machine(),
    build: buildInfo(),
    options: { ...opts },
    parts: {},
  };

  let cleaning = false;
  const cleanup = async () => {
    if (cleaning || opts.keep) return;
    cleaning = true;
    for (const db of [ctx.database, ...ctx.extraDatabases])
      await dropDatabase(db).catch((e) => log(`could not drop ${db}: ${e.message}`));
    const n = await cleanRedisPrefix(ctx.redisPrefix).catch(
      (e) => (log(`could not clean Redis: ${e.message}`), 0),
    );
    log(
      `cleaned up: dropped ${[ctx.database, ...ctx.extraDatabases].join(', ')}, ${n} Redis keys under ${ctx.redisPrefix}`,
    );
  };
  process.once('SIGINT', () => {
    log('interrupted: cleaning up');
    cleanup().finally(() => process.exit(130));
  });

  log(
    `bench ${results.mode}: database ${ctx.database}, Redis prefix ${ctx.redisPrefix}, logs ${resultsDir}/${stamp}-*.log`,
  );
  await createDatabase(ctx.database);
  const t0 = Date.now();
  try {
    const scenarios = {
      throughput: () => import('./scenarios/throughput.mjs').then((m) => m.throughputScenario(ctx)),
      idle: () => import('./scenarios/idle.mjs').then((m) => m.idleScenario(ctx)),
      history: () => import('./scenarios/history.mjs').then((m) => m.historyScenario(ctx)),
      search: () => import('./scenarios/search.mjs').then((m) => m.searchScenario(ctx)),
      login: () => import('./scenarios/login.mjs').then((m) => m.loginScenario(ctx)),
      bigroup: () => import('./scenarios/bigroup.mjs').then((m) => m.bigroupScenario(ctx)),
      scaleout: () => import('./scenarios/scaleout.mjs').then((m) => m.scaleoutScenario(ctx)),
    };
    for (const part of PARTS) {
      if (!opts.only.includes(part)) continue;
      const started = Date.now();
      try {
        results.parts[part] = await scenarios[part]();
      } catch (err) {
        // One failed part should not cost the others' figures.
        log(`${part} FAILED: ${err.stack ?? err}`);
        results.parts[part] = { error: String(err.message ?? err) };
      }
      log(`${part}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  } finally {
    await cleanup();
  }
  results.durationSeconds = Math.round((Date.now() - t0) / 1000);
  results.finishedAt = new Date().toISOString();

  const file = join(resultsDir, `${stamp}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  printSummary(results, log);
  log(`\nresults: ${file}`);
  if (opts.writeDocs) {
    const written = writeDocs(results, file);
    log(`docs: ${written.join(', ')}`);
  }
}

/** Which code was measured: the commit, uncommitted API changes, and when dist was built. */
function buildInfo() {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  let distBuiltAt = null;
  try {
    distBuiltAt = statSync(join(ROOT, 'dist/apps/api/apps/api/src/main.js')).mtime.toISOString();
  } catch {
    // not built
  }
  const dirty = git('status', '--porcelain', '--', 'apps/api', 'libs');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedApiFiles: dirty === null ? null : dirty.split('\n').filter(Boolean).length,
    distBuiltAt,
  };
}

function machine() {
  const c = cpus();
  let pg = null;
  try {
    pg = execFileSync(
      'psql',
      ['-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'show server_version'],
      { encoding: 'utf8' },
    ).trim();
  } catch {
    // psql missing: the version is only informative
  }
  return {
    cpus: c.length,
    cpuModel: c[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    postgres: pg,
    note: 'load generator, API, PostgreSQL and Redis share the same machine',
  };
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
