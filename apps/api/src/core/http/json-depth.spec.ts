import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('exceedsDepth', () => {
  it('accepts scalars and payloads up to the limit', () => {
    expect(exceedsDepth('x')).toBe(false);
    expect(exceedsDepth(null)).toBe(false);
    expect(exceedsDepth({ a: [1, { b: 2 }] })).toBe(false);
    expect(exceedsDepth(nested(MAX_JSON_DEPTH))).toBe(false);
  });

  it('refuses one level more, however the nesting mixes arrays and objects', () => {
    expect(exceedsDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(exceedsDepth({ ok: 1, deep: nested(MAX_JSON_DEPTH) })).toBe(true);
  });

  it('checks 100,000 levels without overflowing the stack', () => {
    expect(exceedsDepth(nested(100_000))).toBe(true);
    expect(exceedsDepth(JSON.parse('['.repeat(60_000) + ']'.repeat(60_000)))).toBe(true);
  });
});
