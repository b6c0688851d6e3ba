// `npm test`: the whole suite, in the order CI runs it. Each step prints its own output; the
// summary at the end lists every step and closes with one "N passed, M failed" line.
//
// With CI=true every step is required: PostgreSQL, Redis, Chromium and nginx must be there
// (.ci/run installs and starts them). Without CI a step whose prerequisite is missing is
// SKIPPED, and the summary says so, so a laptop with only Node still gets a useful run.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { NX_ENV, ROOT, run } from './lib.mjs';

const CI = process.env.CI === 'true';
const RESULTS = join(ROOT, 'tmp/test-results');
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const reachable = (host, port) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
const hasCommand = async (name) =>
  (await run('sh', ['-c', `command -v ${name} >/dev/null 2>&1`], { stdio: 'ignore' })) === 0;

const postgres = await reachable('127.0.0.1', 5432);
const redis = await reachable('127.0.0.1', 6379);
const chromium = existsSync('/usr/bin/chromium');
const nginx = await hasCommand('nginx');

/** jest with a JSON report, so the summary can count tests. */
const jest = (name, config, extra = []) => ({
  name,
  command: [
    'npx',
    'jest',
    '-c',
    config,
    '--ci',
    '--json',
    `--outputFile=${join(RESULTS, `${name}.json`)}`,
    ...extra,
  ],
  count: () => countJest(join(RESULTS, `${name}.json`)),
});

const steps = [
  { name: 'lint', command: ['npx', 'nx', 'run-many', '-t', 'lint', '--output-style=stream'] },
  {
    name: 'typecheck',
    command: ['npx', 'nx', 'run-many', '-t', 'typecheck', '--output-style=stream'],
  },
  ...['libs/shared-dto', 'apps/api', 'apps/web']
    .filter((dir) => existsSync(join(ROOT, dir, 'jest.config.ts')))
    .map((dir) => jest(`unit:${dir.split('/')[1]}`, `${dir}/jest.config.ts`)),
  {
    name: 'build',
    command: [
      'npx',
      'nx',
      'run-many',
      '-t',
      'build',
      '--projects=api,web',
      '--output-style=stream',
    ],
  },
  {
    ...jest('integration:api', 'apps/api/jest.integration.config.ts', ['--runInBand']),
    // The embedded PGlite loads its WebAssembly with a dynamic import, which jest's VM allows
    // only with this flag.
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() },
    note:
      postgres && redis
        ? 'PostgreSQL + Redis'
        : [
            postgres ? null : 'PGlite instead of PostgreSQL, two-instance tests skipped',
            redis ? null : 'Redis tests skipped',
          ]
            .filter(Boolean)
            .join('; '),
  },
  {
    name: 'e2e:api',
    // TypeScript through tsx, with the @chat/* aliases; node 20's --test takes no globs.
    command: [
      'node',
      '--import',
      './libs/test-kit/register.mjs',
      '--test',
      '--test-concurrency=1',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./tools/node-test-counter.mjs',
      `--test-reporter-destination=${join(RESULTS, 'e2e-api.json')}`,
      ...testFiles('apps/api-e2e/src', '.test.ts'),
    ],
    count: () => readCount(join(RESULTS, 'e2e-api.json')),
  },
  existsSync(join(ROOT, 'apps/web-e2e/run.mjs')) && {
    name: 'e2e:web',
    command: ['node', 'apps/web-e2e/run.mjs'],
    env: { WEB_E2E_REPORT: join(RESULTS, 'e2e-web.json') },
    count: () => readCount(join(RESULTS, 'e2e-web.json')),
    skip: chromium ? null : 'Chromium not installed (apt-get install chromium)',
  },
  existsSync(join(ROOT, 'tools/check-docker.mjs')) && {
    name: 'docker:check',
    command: ['node', 'tools/check-docker.mjs'],
    skip: nginx ? null : 'nginx not installed (apt-get install nginx)',
  },
].filter(Boolean);

const summary = [];
let passed = 0;
let failed = 0;
for (const step of steps) {
  if (step.skip && !CI) {
    summary.push({ name: step.name, status: 'SKIPPED', detail: step.skip });
    continue;
  }
  process.stdout.write(`\n━━━ ${step.name} ━━━\n`);
  const started = Date.now();
  const { code, tail } = await runCapturing(step.command, step.env);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = step.count?.() ?? countFromOutput(tail);
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
  } else {
    if (code === 0) passed += 1;
    else failed += 1;
  }
  if (code !== 0 && counts && counts.failed === 0) failed += 1; // a crash outside any test
  const detail = [
    counts ? `${counts.passed} passed, ${counts.failed} failed` : null,
    counts?.skipped?.length ? `${counts.skipped.length} skipped` : null,
    step.note,
    `${seconds}s`,
  ]
    .filter(Boolean)
    .join(' · ');
  summary.push({
    name: step.name,
    status: code === 0 ? 'PASS' : 'FAIL',
    detail,
    skipped: counts?.skipped ?? [],
    failures: counts?.failures ?? [],
  });
}

process.stdout.write('\n━━━ summary ━━━\n');
for (const { name, status, detail } of summary)
  process.stdout.write(`${status.padEnd(8)} ${name.padEnd(18)} ${detail ?? ''}\n`);
// Named, so that a run on a laptop shows what it did not prove.
for (const { name, skipped } of summary.filter((s) => s.skipped?.length)) {
  process.stdout.write(`\nskipped in ${name}:\n`);
  for (const test of skipped) process.stdout.write(`  ${test}\n`);
}
// Named with the first line of their error: CI keeps only the end of the output.
for (const { name, failures } of summary.filter((s) => s.failures?.length)) {
  process.stdout.write(`\nfailed in ${name}:\n`);
  for (const failure of failures) process.stdout.write(`  ${failure}\n`);
}
if (!CI) {
  if (!postgres)
    process.stdout.write(
      'note: PostgreSQL not reachable on 127.0.0.1:5432: integration ran on embedded PGlite, one database per app, so tests of two instances on one database were skipped\n',
    );
  if (!redis)
    process.stdout.write(
      'note: Redis not reachable on 127.0.0.1:6379: Redis and scale-out tests were skipped\n',
    );
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(summary.some((s) => s.status === 'FAIL') ? 1 : 0);

function countJest(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + report.numRuntimeErrorTestSuites,
    skipped: report.testResults.flatMap((file) =>
      file.assertionResults
        .filter((test) => test.status === 'pending' || test.status === 'todo')
        .map((test) => test.fullName),
    ),
    failures: report.testResults.flatMap((file) => {
      const tests = file.assertionResults
        .filter((test) => test.status === 'failed')
        .map((test) => failureLine(test.fullName, test.failureMessages?.[0]));
      // A suite that failed outside its tests (a compile error, a hook) has no failed test.
      return tests.length || file.status !== 'failed'
        ? tests
        : [failureLine(relative(ROOT, file.name), file.message)];
    }),
  };
}

/** "name: first line of the error", short enough for a CI log's last lines. */
function failureLine(name, message = '') {
  const first = stripVTControlCharacters(message).trim().split('\n')[0] ?? '';
  return `${name}: ${first}`.slice(0, 240);
}

/** Every file under `dir` (relative to the root) ending in `suffix`, in a stable order. */
function testFiles(dir, suffix) {
  return readdirSync(join(ROOT, dir), { recursive: true })
    .filter((file) => file.endsWith(suffix))
    .sort()
    .map((file) => join(dir, file));
}

/** A {passed, failed, failures: [{name, message}]} report written by the step's own reporter. */
function readCount(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    ...report,
    failures: (report.failures ?? []).map(({ name, message }) => failureLine(name, message)),
  };
}

/** Runs a step with its output passed through, keeping the end of it for counting. */
function runCapturing([command, ...args], env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...NX_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-8192);
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), tail }));
    child.on('error', () => resolve({ code: 127, tail }));
  });
}

/** A step that prints its own closing "N passed, M failed" line is counted by it. */
function countFromOutput(output) {
  const matches = [...output.matchAll(/(\d+) passed, (\d+) failed/g)];
  const last = matches.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : null;
}
