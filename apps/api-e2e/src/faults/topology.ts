// What every fault test starts from, on the test kit's own PostgreSQL and Redis processes (never
// the machine's): the prerequisites to check, the API configured for fault injection, and the
// topology of one PostgreSQL, one Redis and N API instances sharing them.
import { existsSync } from 'node:fs';
import {
  API_MAIN,
  killAll,
  NO_LIMITS,
  PG_BIN,
  REDIS_SERVER,
  startApi,
  startPostgres,
  startRedis,
  track,
  trackedTempDir,
  type PostgresProcess,
  type ServerProcess,
  type ServiceProcess,
} from '@chat/test-kit';

export { sleep, until } from '@chat/test-kit';

export interface Needs {
  postgres?: boolean;
  redis?: boolean;
}

/**
 * Why the fault tests cannot run here, or null. In CI a missing binary is a failure (the
 * caller throws), elsewhere the tests are skipped with this message.
 */
export function missingPrerequisites({ postgres = true, redis = true }: Needs = {}): string | null {
  const missing: string[] = [];
  if (postgres && !PG_BIN)
    missing.push('PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)');
  if (redis && !REDIS_SERVER) missing.push('redis-server');
  if (!existsSync(API_MAIN)) missing.push('the built API (run: npx nx build api)');
  return missing.length ? `fault tests need ${missing.join(' and ')}` : null;
}

/** `test(name, prerequisites(), fn)`: skipped off CI when something is missing, failing in CI. */
export function prerequisites(needs?: Needs): { skip?: string } {
  const reason = missingPrerequisites(needs);
  if (reason && process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: required)`);
  return reason ? { skip: reason } : {};
}

/** No rate limits (the load is ours), fast hashing, a short presence grace period. */
export const FAST_ENV: Readonly<Record<string, string>> = {
  ...NO_LIMITS,
  PRESENCE_GRACE_MS: '500',
  BCRYPT_COST: '4',
  LOG_LEVEL: 'warn',
};

let prefixes = 0;
/** A Redis key prefix no other run shares. */
export const uniquePrefix = (name: string): string =>
  `faults-${name}-${process.pid}-${++prefixes}-${Date.now().toString(36)}:`;

export interface FaultApiOptions {
  pg: PostgresProcess;
  redis?: ServiceProcess | null;
  prefix?: string;
  env?: Record<string, string>;
}

/** The built API on our PostgreSQL (and Redis), tracked so that it dies with the test. */
export async function startFaultApi({
  pg,
  redis,
  prefix,
  env = {},
}: FaultApiOptions): Promise<ServerProcess> {
  const server = await startApi({
    env: {
      ...FAST_ENV,
      UPLOAD_DIR: trackedTempDir('chat-faults-up-'),
      DATABASE_URL: pg.url,
      ...(redis ? { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix ?? uniquePrefix('api') } : {}),
      ...env,
    },
  });
  track(server.child, 'api');
  return server;
}

export interface Topology {
  pg: PostgresProcess;
  redis: ServiceProcess;
  apis: ServerProcess[];
  stop(): Promise<void>;
}

/**
 * Our own PostgreSQL and Redis, and one API process per entry of `instances` (extra environment
 * for each), sharing them. `stop()` undoes it all.
 */
export async function startTopology(
  label: string,
  instances: Record<string, string>[] = [{}],
): Promise<Topology> {
  const pg = await startPostgres();
  const redis = await startRedis();
  const prefix = uniquePrefix(label);
  const apis = await Promise.all(instances.map((env) => startFaultApi({ pg, redis, prefix, env })));
  return {
    pg,
    redis,
    apis,
    async stop() {
      await Promise.all(apis.map((api) => api.stop()));
      await redis.stop();
      await pg.stop();
      killAll();
    },
  };
}
