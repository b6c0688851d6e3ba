/** A tiny sequential test runner: steps of one story, each reported on its own. */
export function createHarness() {
  const results = [];
  let blocked = null;
  const failureHooks = [];

  async function step(name, fn, { independent = false } = {}) {
    const started = Date.now();
    if (blocked && !independent) {
      results.push({ name, ok: false, error: `not run: "${blocked}" failed` });
      console.log(`  ✗ ${name} (not run: an earlier step failed)`);
      return false;
    }
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error) {
      results.push({ name, ok: false, error: String(error?.stack ?? error) });
      console.log(
        `  ✗ ${name} (${Date.now() - started} ms)\n${indent(String(error?.stack ?? error))}`,
      );
      for (const hook of failureHooks) await hook(name).catch(() => undefined);
      if (!independent) blocked = name;
      return false;
    }
  }

  /** Starts a new story: later steps run again even if an earlier story failed. */
  function story(title) {
    blocked = null;
    console.log(`\n${title}`);
  }

  /** Runs after a failed step (screenshots, page logs). */
  function onFailure(hook) {
    failureHooks.push(hook);
  }

  return { step, story, results, onFailure };
}

function indent(text) {
  return text
    .split('\n')
    .slice(0, 12)
    .map((line) => `      ${line}`)
    .join('\n');
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls until `fn` returns a truthy value (or throws on timeout with the last value). */
export async function eventually(fn, message, timeout = 15_000, interval = 100) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${message} (last: ${formatLast(last)})`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function formatLast(value) {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
