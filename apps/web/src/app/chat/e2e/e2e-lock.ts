/**
 * Runs one libsignal operation at a time for a user, across every tab of this browser.
 *
 * A session's ratchet state is read, advanced and written back by each encrypt and decrypt: two
 * tabs doing it at once would both start from the same state and one would overwrite the
 * other's, breaking the session. The Web Locks API serialises across tabs; where it is absent
 * (jsdom, very old browsers) an in-process queue serialises within this tab.
 */
const queues = new Map<string, Promise<unknown>>();

export function withE2eLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (locks && typeof locks.request === 'function') {
    return locks.request(name, () => task()) as Promise<T>;
  }
  const previous = queues.get(name) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(task);
  queues.set(name, run);
  void run
    .finally(() => {
      if (queues.get(name) === run) queues.delete(name);
    })
    .catch(() => undefined);
  return run;
}
