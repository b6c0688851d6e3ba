export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export interface UntilOptions {
  timeoutMs?: number;
  everyMs?: number;
  /** Named in the timeout error, so a hung wait says what it waited for. */
  what?: string;
}

/** Polls `check` every `everyMs` until it answers a truthy value, or throws after `timeoutMs`. */
export async function until<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, everyMs = 50, what = 'condition' }: UntilOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
