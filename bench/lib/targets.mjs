// What the bench measures, started through the test kit's launcher (a log file per process: a
// pipe nobody reads would eventually block the server; stopped by PID): the built API as
// deployed, and the reference relay. Registered users and conversations come from the kit's
// REST client, with bounded concurrency so that setup does not turn into a load test of its own.
import { join } from 'node:path';
import { API_MAIN, mapLimit, NO_LIMITS, RestClient, ROOT, startApi } from '@chat/test-kit';
import { databaseUrl, REDIS_URL } from './infra.mjs';

export const RELAY_MAIN = join(ROOT, 'bench/reference/relay.mjs');
export const PASSWORD = 'bench-password-123';

/**
 * The product as deployed: NODE_ENV=production on PostgreSQL and Redis (adapter, sessions,
 * presence), limits off. `extraEnv` (from `--env=K=V`) wins, e.g. to try a pool size.
 */
export function startBenchApi({
  database,
  redisPrefix,
  logFile,
  bcryptCost = 4,
  logLevel = 'warn',
  extraEnv = {},
  main = API_MAIN,
  nodeArgs = [],
}) {
  return startApi({
    main,
    nodeArgs,
    logFile,
    healthTimeoutMs: 90_000,
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl(database),
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix,
      JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
      BCRYPT_COST: String(bcryptCost),
      LOG_LEVEL: logLevel,
      UPLOAD_DIR: join(ROOT, 'tmp/bench-uploads'),
      ...NO_LIMITS,
      // Sockets per client address: every bench socket comes from a handful of loopback addresses.
      MAX_CONNECTIONS_PER_IP: '0',
      ...extraEnv,
    },
  });
}

/** The reference relay; `database` set means variant (b), batched inserts into PostgreSQL. */
export function startRelay({ database = null, logFile, extraEnv = {}, nodeArgs = [] }) {
  return startApi({
    name: database ? 'relay-pg' : 'relay',
    main: RELAY_MAIN,
    bare: true,
    nodeArgs,
    logFile,
    healthTimeoutMs: 30_000,
    env: { ...(database ? { RELAY_DATABASE_URL: databaseUrl(database) } : {}), ...extraEnv },
  });
}

/** Registers `count` users named `<prefix><i>`; answers `{ id, username, token }[]`. */
export function registerUsers(url, prefix, count, concurrency = 16) {
  const rest = new RestClient(url);
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const username = `${prefix}${i}`;
      const { user, token } = await rest.register({
        username,
        email: `${username}@bench.example`,
        password: PASSWORD,
      });
      return { id: user.id, username, token };
    },
  );
}

export async function directConversation(url, a, b) {
  return (await new RestClient(url, a.token).direct(b.id)).id;
}

export async function groupConversation(url, owner, others, name) {
  const ids = others.map((u) => u.id);
  return (await new RestClient(url, owner.token).group(name, ids)).id;
}

export { mapLimit };
