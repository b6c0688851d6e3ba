import { withE2eLock } from './e2e-lock';

describe('withE2eLock without the Web Locks API (jsdom)', () => {
  it('runs the tasks of one name one at a time, in order, and a failure does not block the next', async () => {
    expect(globalThis.navigator.locks).toBeUndefined();
    const trace: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        trace.push(`${name} start`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        trace.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      withE2eLock('u1', task('a')),
      withE2eLock('u1', task('b', true)),
      withE2eLock('u1', task('c')),
    ]);
    expect(trace).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('lets different users run side by side', async () => {
    const trace: string[] = [];
    const slow = (name: string) => async () => {
      trace.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      trace.push(`${name} end`);
    };
    await Promise.all([withE2eLock('u1', slow('a')), withE2eLock('u2', slow('b'))]);
    expect(trace.slice(0, 2)).toEqual(['a start', 'b start']);
  });

  it('uses navigator.locks when the browser has it', async () => {
    const request = jest.fn((_name: string, run: () => Promise<string>) => run());
    Object.defineProperty(globalThis.navigator, 'locks', {
      value: { request },
      configurable: true,
    });
    try {
      await expect(withE2eLock('chat-e2e-u1', async () => 'done')).resolves.toBe('done');
      expect(request).toHaveBeenCalledWith('chat-e2e-u1', expect.any(Function));
    } finally {
      Object.defineProperty(globalThis.navigator, 'locks', {
        value: undefined,
        configurable: true,
      });
    }
  });
});
