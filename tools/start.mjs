// `npm start`: builds the API and the web app (Nx caches unchanged builds), then serves both
// from one process on http://localhost:3000 (PORT). With no database configured it runs on the
// embedded PGlite under ./data, with no Redis in memory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { API_MAIN, NX_ENV, ROOT, nx } from './lib.mjs';

const skipBuild = process.argv.includes('--no-build') && existsSync(API_MAIN);
if (!skipBuild) {
  const code = await nx(['run-many', '-t', 'build', '--projects=api,web', '--output-style=stream']);
  if (code !== 0) process.exit(code);
}

const server = spawn(process.execPath, [API_MAIN], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, ...NX_ENV },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
