/**
 * True for errors that mean a backing service (PostgreSQL, Redis) is unreachable right now:
 * the request was fine and may be retried, so the answer is 503, not 500.
 */
export function isServiceUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code =
    (err as { code?: string }).code ??
    (err as { driverError?: { code?: string } }).driverError?.code;
  if (
    code &&
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08001',
      '08003',
    ].includes(code)
  ) {
    return true;
  }
  if (err.name === 'MaxRetriesPerRequestError') return true;
  return /Connection (is closed|terminated)|timeout exceeded when trying to connect|Stream isn't writeable/i.test(
    err.message,
  );
}
