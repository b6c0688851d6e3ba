import { connect } from 'node:net';

/** Where the integration tests find their servers; written by global setup for the tests. */
export interface TestServices {
  /** A fresh database for this run, or null: each app then boots its own embedded PGlite. */
  databaseUrl: string | null;
  /** Without `databaseUrl`: a migrated PGlite data dir that each app boots from a copy of. */
  embeddedTemplate: string | null;
  /** Redis, or null when unreachable outside CI (Redis-only tests are skipped). */
  redisUrl: string | null;
  /** A key prefix unique to this run, so parallel runs never see each other's keys. */
  redisPrefix: string;
}

export const SERVICES_ENV = 'CHAT_TEST_SERVICES';

export function readServices(): TestServices {
  const raw = process.env[SERVICES_ENV];
  if (!raw)
    throw new Error(
      'integration tests must run with their global setup (nx run api:test-integration)',
    );
  return JSON.parse(raw) as TestServices;
}

/** Resolves true when something accepts TCP connections on host:port within the timeout. */
export function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
