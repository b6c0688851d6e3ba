// `npm run cluster`: builds the API and web app, then runs one API worker per core on one
// port (PORT, default 3000) with sticky sessions. Needs PostgreSQL and Redis configured
// (DB_* or DATABASE_URL, REDIS_* or REDIS_URL); WEB_CONCURRENCY sets the number of workers.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NX_ENV, ROOT, nx } from './lib.mjs';

const code = await nx(['run-many', '-t', 'build', '--projects=api,web', '--output-style=stream']);
if (code !== 0) process.exit(code);

const entry = join(ROOT, 'dist/apps/api/apps/api/src/cluster.js');
const primary = spawn(process.execPath, [entry], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, ...NX_ENV },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => primary.kill(signal));
primary.on('exit', (exitCode, signal) => process.exit(exitCode ?? (signal ? 0 : 1)));
