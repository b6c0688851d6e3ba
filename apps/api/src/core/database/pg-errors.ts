import { QueryFailedError } from 'typeorm';

/** The PostgreSQL error codes the app reacts to by name. */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  divisionByZero: '22012',
  deadlock: '40P01',
} as const;

/** The SQLSTATE of a failed query, whichever layer wrapped it. */
export function databaseCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const driver = (err as { driverError?: { code?: unknown } }).driverError;
  const code = driver?.code ?? (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** PostgreSQL errors caused by the input, not by us: a 4xx with a plain reason. */
const BAD_INPUT: Record<string, { status: 400 | 409; message: string }> = {
  '22P02': { status: 400, message: 'malformed value' },
  '22001': { status: 400, message: 'value too long' },
  '22003': { status: 400, message: 'number out of range' },
  '22021': { status: 400, message: 'invalid character' },
  '23505': { status: 409, message: 'already exists' },
  '23503': { status: 400, message: 'refers to something that does not exist' },
};

export function badInputFromDatabase(
  exception: unknown,
): { status: 400 | 409; message: string } | null {
  if (!(exception instanceof QueryFailedError)) return null;
  const code = (exception.driverError as { code?: string } | undefined)?.code;
  return code ? (BAD_INPUT[code] ?? null) : null;
}

/**
 * validator.js calls `encodeURI` on some checks (isEmail, isURL), which throws URIError on a
 * lone UTF-16 surrogate: that is malformed input, not a fault.
 */
export const MALFORMED_TEXT = 'malformed text (invalid Unicode)';
