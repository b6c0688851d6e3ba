import type { ChildProcess } from 'node:child_process';
import { sleep } from './timing';

export interface HealthOptions {
  timeoutMs?: number;
  /** Stop waiting as soon as this process has exited: it will never answer. */
  child?: ChildProcess;
}

/** Polls `GET <url>/health` until it answers 200; false after `timeoutMs`. */
export async function waitForHealth(
  url: string,
  { timeoutMs = 60_000, child }: HealthOptions = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) return false;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return false;
}
