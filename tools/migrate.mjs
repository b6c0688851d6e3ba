// `npm run migrate [up|down|status]`: builds the API if needed and runs its migrate command on
// the configured PostgreSQL (DB_* or DATABASE_URL) or on the embedded one under ./data.
import { API_MIGRATE, nx, runOrExit } from './lib.mjs';

const built = await nx(['build', 'api', '--output-style=stream']);
if (built !== 0) process.exit(built);
await runOrExit(process.execPath, [API_MIGRATE, process.argv[2] ?? 'up']);
