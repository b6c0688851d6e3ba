/** Deepest nesting a request body or socket payload may have; the contract's are 3 at most. */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether `value` nests objects or arrays deeper than `max` levels. Walks with an explicit
 * stack, never recursion, so a hostile 60,000-level payload cannot overflow the check itself;
 * stops at the first level past `max`, so the cost is bounded by what was already parsed.
 */
export function exceedsDepth(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node, depth } = top;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) {
      if (child !== null && typeof child === 'object')
        stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

export const TOO_DEEP_MESSAGE = `payload nests deeper than ${MAX_JSON_DEPTH} levels`;
