import { resolve } from 'node:path';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { DEVELOPMENT_JWT_SECRET, Environment, validateEnvironment } from './environment';

export type DatabaseConfig =
  | { mode: 'postgres'; url: string; poolSize: number; migrateOnStart: boolean }
  | { mode: 'embedded'; dataDir: string; poolSize: number; migrateOnStart: boolean };

export interface AppConfig {
  port: number;
  nodeEnv: 'development' | 'production' | 'test';
  production: boolean;
  logLevel: string;
  database: DatabaseConfig;
  /** null: no Redis, so realtime, sessions cache and rate limits live in this process. */
  redis: { url: string; keyPrefix: string } | null;
  jwt: {
    secret: string;
    expiresIn: string;
    expiresInSeconds: number;
    usingDevelopmentSecret: boolean;
  };
  bcryptCost: number;
  /** HMAC key for the pre-hash before bcrypt; null: plain SHA-256 (see PasswordsService). */
  passwordPepper: string | null;
  /** Bearer token `/metrics` asks for; null: open outside production, 404 in production. */
  metricsToken: string | null;
  swaggerEnabled: boolean;
  upload: {
    dir: string;
    /** Images, before re-encoding. */
    maxFileSize: number;
    /** Documents and voice recordings, stored as sent. */
    maxAttachmentSize: number;
    /** Voice recordings, as long as the server reads them to be. */
    maxVoiceSeconds: number;
  };
  corsOrigins: string[];
  trustProxy: string | number | boolean;
  webDistDir: string;
  limits: {
    anon: { limit: number; ttlSeconds: number };
    user: { limit: number; ttlSeconds: number };
    loginFailuresPerAccount: number;
    loginFailuresPerIp: number;
    loginFailureWindowSeconds: number;
    messageRatePerSecond: number;
    messageRateBurst: number;
    maxMessageLength: number;
    connectionsPerIp: number;
    /** Longest delay a login on a much-failed account waits before its password is checked. */
    loginSlowdownMaxMs: number;
    /** Inbound traffic one socket may send per window, every packet counted; 0: unbounded. */
    socketBudget: { packets: number; bytes: number; windowSeconds: number };
  };
  presenceGraceMs: number;
  shutdownGraceMs: number;
  calls: {
    stunUrls: string[];
    /** null: no relay, peers that cannot reach each other directly cannot talk. */
    turn: { urls: string[]; secret: string; ttlSeconds: number } | null;
    ringTimeoutMs: number;
  };
  push: {
    /** null: generated at first start and kept in the database. */
    vapidKeys: { publicKey: string; privateKey: string } | null;
    vapidSubject: string;
    allowInsecureEndpoints: boolean;
  };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function durationToSeconds(value: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] ?? 's'];
}

function databaseUrl(env: Environment): string | null {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  if (!env.DB_HOST) return null;
  const user = encodeURIComponent(env.DB_USER ?? 'postgres');
  const password = env.DB_PASSWORD ? `:${encodeURIComponent(env.DB_PASSWORD)}` : '';
  return `postgres://${user}${password}@${env.DB_HOST}:${env.DB_PORT ?? 5432}/${encodeURIComponent(env.DB_NAME ?? 'chatapp')}`;
}

function redisUrl(env: Environment): string | null {
  if (env.REDIS_URL) return env.REDIS_URL;
  if (!env.REDIS_HOST) return null;
  const password = env.REDIS_PASSWORD ? `:${encodeURIComponent(env.REDIS_PASSWORD)}@` : '';
  return `redis://${password}${env.REDIS_HOST}:${env.REDIS_PORT ?? 6379}`;
}

function parseTrustProxy(value: string | undefined): string | number | boolean {
  if (value === undefined) return 'loopback';
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function buildAppConfig(env: Environment): AppConfig {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';
  const url = databaseUrl(env);
  const migrateOnStart = env.DB_MIGRATE_ON_START !== 'false';
  // PGlite is one connection: its socket server multiplexes clients but can interleave their
  // extended-protocol messages, so the embedded pool holds exactly one connection.
  const poolSize = url ? (env.DB_POOL_SIZE ?? 20) : 1;
  const redis = redisUrl(env);
  const expiresIn = env.JWT_EXPIRES_IN ?? '7d';

  return {
    port: env.PORT ?? 3000,
    nodeEnv,
    production,
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    database: url
      ? { mode: 'postgres', url, poolSize, migrateOnStart }
      : {
          mode: 'embedded',
          dataDir: resolve(env.EMBEDDED_DATA_DIR ?? 'data/pglite'),
          poolSize,
          migrateOnStart,
        },
    redis: redis ? { url: redis, keyPrefix: env.REDIS_KEY_PREFIX ?? 'chat:' } : null,
    jwt: {
      secret: env.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
      expiresIn,
      expiresInSeconds: durationToSeconds(expiresIn),
      usingDevelopmentSecret: !env.JWT_SECRET,
    },
    bcryptCost: env.BCRYPT_COST ?? (production ? 12 : 10),
    passwordPepper: env.PASSWORD_PEPPER ?? null,
    metricsToken: env.METRICS_TOKEN ?? null,
    swaggerEnabled: env.SWAGGER_ENABLED ? env.SWAGGER_ENABLED === 'true' : !production,
    upload: {
      dir: resolve(env.UPLOAD_DIR ?? 'uploads'),
      maxFileSize: env.MAX_FILE_SIZE ?? 5 * 1024 * 1024,
      maxAttachmentSize: env.MAX_ATTACHMENT_SIZE ?? 25 * 1024 * 1024,
      maxVoiceSeconds: env.MAX_VOICE_SECONDS ?? 300,
    },
    corsOrigins: (env.CLIENT_URL ?? 'http://localhost:3000')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    webDistDir: resolve(env.WEB_DIST_DIR ?? 'dist/apps/web/browser'),
    limits: {
      anon: { limit: env.THROTTLE_ANON_LIMIT ?? 100, ttlSeconds: env.THROTTLE_ANON_TTL ?? 900 },
      user: { limit: env.THROTTLE_USER_LIMIT ?? 1000, ttlSeconds: env.THROTTLE_USER_TTL ?? 900 },
      loginFailuresPerAccount: env.LOGIN_MAX_FAILURES_ACCOUNT ?? 5,
      loginFailuresPerIp: env.LOGIN_MAX_FAILURES_IP ?? 20,
      loginFailureWindowSeconds: env.LOGIN_FAILURE_WINDOW ?? 900,
      messageRatePerSecond: env.MESSAGE_RATE_PER_SECOND ?? 20,
      messageRateBurst: env.MESSAGE_RATE_BURST ?? 40,
      maxMessageLength: env.MAX_MESSAGE_LENGTH ?? DEFAULT_LIMITS.maxMessageLength,
      connectionsPerIp: env.MAX_CONNECTIONS_PER_IP ?? 500,
      loginSlowdownMaxMs: env.LOGIN_SLOWDOWN_MAX_MS ?? 10_000,
      socketBudget: {
        packets: env.SOCKET_PACKET_BUDGET ?? 2500,
        bytes: env.SOCKET_BYTE_BUDGET ?? 4 * 1024 * 1024,
        windowSeconds: env.SOCKET_BUDGET_WINDOW ?? 10,
      },
    },
    presenceGraceMs: env.PRESENCE_GRACE_MS ?? 3000,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS ?? 10_000,
    calls: {
      stunUrls: splitList(env.STUN_URLS ?? ''),
      turn:
        env.TURN_URLS && env.TURN_SECRET
          ? {
              urls: splitList(env.TURN_URLS),
              secret: env.TURN_SECRET,
              ttlSeconds: env.TURN_TTL_SECONDS ?? 3600,
            }
          : null,
      ringTimeoutMs: env.CALL_RING_TIMEOUT_MS ?? 30_000,
    },
    push: {
      vapidKeys:
        env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
          ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY }
          : null,
      vapidSubject: env.VAPID_SUBJECT ?? defaultVapidSubject(env.CLIENT_URL),
      allowInsecureEndpoints: env.PUSH_ALLOW_INSECURE_ENDPOINTS === 'true',
    },
  };
}

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** Push services want a contact: the public https origin when there is one. */
function defaultVapidSubject(clientUrl: string | undefined): string {
  const https = (clientUrl ?? '')
    .split(',')
    .map((o) => o.trim())
    .find((o) => o.startsWith('https://'));
  return https ?? 'mailto:postmaster@localhost';
}

/** Validates `process.env`-like input and maps it to the typed configuration; throws on errors. */
export function loadAppConfig(raw: Record<string, unknown> = process.env): AppConfig {
  return buildAppConfig(validateEnvironment(raw));
}
