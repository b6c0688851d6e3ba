import { InProcessPushQueue, PermanentPushError, PushJob } from './push.queue';

const job = (id: string): PushJob => ({
  kind: 'deliver',
  subscriptionId: id,
  topic: 't',
  payload: { conversationId: 'c', messageId: id, seq: 1, title: 'x', body: 'y' },
});
const idOf = (j: PushJob) => (j.kind === 'deliver' ? j.subscriptionId : '');

/** Waits (in real time) until `done()` holds; the machine may be slow, so no fixed sleep. */
async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

describe('InProcessPushQueue', () => {
  afterEach(() => jest.useRealTimers());

  it('retries a failing job with doubling delays, up to the attempt limit', async () => {
    jest.useFakeTimers();
    const queue = new InProcessPushQueue({ attempts: 3, backoffMs: 100 });
    const calls: number[] = [];
    queue.process(async () => {
      calls.push(Date.now());
      throw new Error('503');
    });
    await queue.add(job('a'));
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(3);
    expect(calls[1] - calls[0]).toBe(100);
    expect(calls[2] - calls[1]).toBe(200);
    await queue.close();
  });

  it('does not retry a permanent failure', async () => {
    jest.useFakeTimers();
    const queue = new InProcessPushQueue({ attempts: 5, backoffMs: 10 });
    let calls = 0;
    queue.process(async () => {
      calls += 1;
      throw new PermanentPushError('400');
    });
    await queue.add(job('a'));
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(1);
    await queue.close();
  });

  it('runs at most `concurrency` jobs at once and every job once', async () => {
    const queue = new InProcessPushQueue({ attempts: 1, backoffMs: 1 }, 2);
    let running = 0;
    let peak = 0;
    const done: string[] = [];
    queue.process(async (j) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      done.push(idOf(j));
    });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => queue.add(job(id))));
    await until(() => done.length === 5);
    expect(peak).toBe(2);
    expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    await queue.close();
  });

  it('drops what exceeds its capacity instead of growing without bound', async () => {
    const queue = new InProcessPushQueue({ attempts: 1, backoffMs: 1 }, 1, 2);
    await Promise.all(['a', 'b', 'c'].map((id) => queue.add(job(id))));
    const seen: string[] = [];
    queue.process(async (j) => {
      seen.push(idOf(j));
    });
    await until(() => seen.length >= 2);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['a', 'b']);
    await queue.close();
  });
});
