import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const toInt = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string' || value.trim() === '') return value;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
};

/** The secret shipped in `.env.example`; production refuses it. */
export const EXAMPLE_JWT_SECRET = 'your_super_secret_jwt_key_change_this_in_production';
/** Used only outside production when JWT_SECRET is unset, so `npm start` works with no set-up. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-never-use-in-production';

/**
 * Every variable the API reads. Unknown variables are ignored; each bad one yields one message.
 * Empty strings count as unset, so an `.env` copied from `.env.example` works as it is.
 */
export class Environment {
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DB_HOST?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  DB_PORT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DB_NAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DB_USER?: string;

  @IsOptional()
  @IsString()
  DB_PASSWORD?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  DB_MIGRATE_ON_START?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  EMBEDDED_DATA_DIR?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_HOST?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  REDIS_PORT?: number;

  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:.-]{1,64}$/, {
    message: 'REDIS_KEY_PREFIX may contain only letters, digits, "_", ":", "." and "-"',
  })
  REDIS_KEY_PREFIX?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+(s|m|h|d)?$/, {
    message: 'JWT_EXPIRES_IN must be a number of seconds or a duration such as 15m, 12h or 7d',
  })
  JWT_EXPIRES_IN?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_COST?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  UPLOAD_DIR?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  MAX_FILE_SIZE?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  MAX_ATTACHMENT_SIZE?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  MAX_VOICE_SECONDS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  CLIENT_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  THROTTLE_ANON_LIMIT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  THROTTLE_ANON_TTL?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  THROTTLE_USER_LIMIT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  THROTTLE_USER_TTL?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  LOGIN_MAX_FAILURES_ACCOUNT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  LOGIN_MAX_FAILURES_IP?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  MESSAGE_RATE_PER_SECOND?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  MESSAGE_RATE_BURST?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  MAX_MESSAGE_LENGTH?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  MAX_CONNECTIONS_PER_IP?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  LOGIN_SLOWDOWN_MAX_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  SOCKET_PACKET_BUDGET?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  SOCKET_BYTE_BUDGET?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  SOCKET_BUDGET_WINDOW?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'PASSWORD_PEPPER must be at least 32 characters long' })
  PASSWORD_PEPPER?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  SWAGGER_ENABLED?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  PRESENCE_GRACE_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS?: number;

  /** Web Push: a VAPID key pair (base64url); unset, one is generated once and kept in the database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{87}$/, {
    message: 'VAPID_PUBLIC_KEY must be a base64url P-256 public key',
  })
  VAPID_PUBLIC_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, {
    message: 'VAPID_PRIVATE_KEY must be a base64url P-256 private key',
  })
  VAPID_PRIVATE_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(mailto:\S+@\S+|https:\/\/\S+)$/, {
    message: 'VAPID_SUBJECT must be a mailto: or https: URL',
  })
  VAPID_SUBJECT?: string;

  /** Calls: comma-separated `stun:` URLs handed to browsers (none by default). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(stuns?:[^\s,]+)(,\s*stuns?:[^\s,]+)*$/, {
    message: 'STUN_URLS must be comma-separated stun: or stuns: URLs',
  })
  STUN_URLS?: string;

  /** Calls: comma-separated `turn:`/`turns:` URLs of a coturn with `use-auth-secret`. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(turns?:[^\s,]+)(,\s*turns?:[^\s,]+)*$/, {
    message: 'TURN_URLS must be comma-separated turn: or turns: URLs',
  })
  TURN_URLS?: string;

  /** coturn's `static-auth-secret`: signs the time-limited TURN credentials. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'TURN_SECRET must be at least 16 characters long' })
  TURN_SECRET?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86_400)
  TURN_TTL_SECONDS?: number;

  /** How long a call rings before it is missed (the contract says 30 s; tests shorten it). */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(120_000)
  CALL_RING_TIMEOUT_MS?: number;

  /** Tests only: lets push subscriptions name http and loopback push services. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'])
  PUSH_ALLOW_INSECURE_ENDPOINTS?: string;
}

/** Raised at boot; its message lists one line per bad variable. */
export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentError';
  }
}

export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: false });
  const problems = errors.map((e) => {
    const first = Object.values(e.constraints ?? {})[0] ?? 'is invalid';
    return first.startsWith(e.property) ? first : `${e.property} ${first}`;
  });

  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET must be set when NODE_ENV=production');
    else if (env.JWT_SECRET === EXAMPLE_JWT_SECRET || env.JWT_SECRET === DEVELOPMENT_JWT_SECRET) {
      problems.push('JWT_SECRET must not be the example value when NODE_ENV=production');
    }
  }
  if (env.DB_HOST && env.DATABASE_URL)
    problems.push('set either DATABASE_URL or DB_HOST, not both');
  if (env.REDIS_HOST && env.REDIS_URL)
    problems.push('set either REDIS_URL or REDIS_HOST, not both');

  if (env.NODE_ENV === 'production' && env.PUSH_ALLOW_INSECURE_ENDPOINTS === 'true')
    problems.push('PUSH_ALLOW_INSECURE_ENDPOINTS must not be true when NODE_ENV=production');
  if (Boolean(env.TURN_URLS) !== Boolean(env.TURN_SECRET))
    problems.push('set both TURN_URLS and TURN_SECRET, or neither');
  if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY))
    problems.push('set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither');

  if (problems.length > 0) throw new EnvironmentError(problems);
  return env;
}
