// `npm run dev`: the API recompiled and restarted on change (port 3000) and the Angular dev
// server with live reload on http://localhost:4200, which proxies /api and /socket.io to the API.
import { API_MAIN, nx, run } from './lib.mjs';

const built = await nx(['build', 'api', '--output-style=stream']);
if (built !== 0) process.exit(built);

const code = await run('npx', [
  'concurrently',
  '--kill-others-on-fail',
  '--names',
  'tsc,alias,api,web',
  '--prefix-colors',
  'blue,gray,green,magenta',
  'tsc -p apps/api/tsconfig.app.json --watch --preserveWatchOutput',
  'tsc-alias -p apps/api/tsconfig.app.json --watch',
  `node --watch-path=dist/apps/api --watch-preserve-output ${API_MAIN}`,
  'nx serve web',
]);
process.exit(code);
