// Seeded generators of hostile values. Every run prints its seed; `FUZZ_SEED=<n>` replays a
// failing run input for input, because every choice below comes from the one PRNG.

/** mulberry32: tiny, fast, and good enough to spread inputs; not for anything secret. */
/** A JSON value of any shape: what a fuzzer puts where a field should be. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number): boolean => next() < p;
  return { next, int, pick, chance };
}

export function fuzzSeed(): number {
  const fromEnv = Number(process.env['FUZZ_SEED']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Date.now() % 2_147_483_647) + 1;
}

/** Strings that break naive code: encodings, injections, control characters, odd lengths. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d\ude00\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67',
  '\u202e\u0645\u0631\u062d\u0628\u0627 rtl',
  '\ufeff\u200b\u00a0',
  '\r\n\t\b\f\v',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '%',
  '_',
  '\\',
  '$1',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../../../etc/passwd',
  '%00',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '9007199254740993',
  '1e308',
  '-1e308',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
  'true',
  '[]',
  '{}',
];

export const EDGE_NUMBERS = [
  -1,
  0,
  1,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
  0.5,
  -0.0,
  100,
  101,
  4001,
];

/** A random string of `length` drawn from a mix of ASCII, BMP, astral and control characters. */
export function randomString(rng: Rng, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i += 1) {
    const kind = rng.int(0, 9);
    if (kind < 5) parts.push(String.fromCharCode(rng.int(32, 126)));
    else if (kind === 5) parts.push(String.fromCharCode(rng.int(0, 31)));
    else if (kind === 6) parts.push(String.fromCharCode(rng.int(0x80, 0xd7ff)));
    else if (kind === 7) parts.push(String.fromCodePoint(rng.int(0x1f300, 0x1faff)));
    else if (kind === 8)
      parts.push(String.fromCharCode(rng.int(0xd800, 0xdfff))); // lone surrogate
    else parts.push(rng.pick(['\u0000', '\u202e', '\u200b', "'", '"', '\\', '%', '<', '>']));
  }
  return parts.join('');
}

/** Any JSON-able value, depth-bounded: the wrong type for whatever field it lands in. */
export function randomValue(rng: Rng, depth = 0): Json {
  const kind = rng.int(0, depth > 2 ? 7 : 10);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(EDGE_NUMBERS);
    case 3:
      return rng.next() * 10 ** rng.int(-5, 20) * (rng.chance(0.5) ? -1 : 1);
    case 4:
      return rng.pick(NASTY_STRINGS);
    case 5:
      return randomString(rng, rng.int(1, 64));
    case 6:
      return hugeString(rng);
    case 7:
      return randomString(rng, rng.int(0, 8));
    case 8:
      return Array.from({ length: rng.int(0, 5) }, () => randomValue(rng, depth + 1));
    case 9: {
      const obj: { [key: string]: Json } = {};
      for (let i = rng.int(0, 4); i > 0; i -= 1)
        obj[rng.pick(['a', 'id', '$where', '__proto__', 'constructor', randomString(rng, 5)])] =
          randomValue(rng, depth + 1);
      return obj;
    }
    default:
      return deepNest(rng.int(10, 200));
  }
}

/** Up to ~100 KB: past every field limit and past the 64 KiB body and frame limits. */
export function hugeString(rng: Rng): string {
  const size = rng.pick([4001, 10_000, 65_000, 70_000, 100_000]);
  return rng.pick(['a', '\u00e9', '\ud83d\ude00', '\u0000', "'"]).repeat(Math.ceil(size / 2));
}

export function deepNest(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 ? [value] : { a: value };
  return value;
}

/**
 * A body for a JSON endpoint: mostly the valid shape with one or two fields replaced by hostile
 * values (so validation is passed often enough to reach the service and the database), plus
 * wholly random bodies, extra fields and missing ones.
 */
export function mutateObject(rng: Rng, valid: { [key: string]: Json }): Json {
  const roll = rng.int(0, 9);
  if (roll === 0) return randomValue(rng);
  const body: { [key: string]: Json } = { ...valid };
  const keys = Object.keys(body);
  if (roll === 1 && keys.length > 0) delete body[rng.pick(keys)];
  if (roll === 2)
    body[rng.pick(['extra', 'isAdmin', 'role', 'id', '__proto__'])] = randomValue(rng);
  const changes = rng.int(1, 2);
  for (let i = 0; i < changes && keys.length > 0; i += 1) body[rng.pick(keys)] = randomValue(rng);
  return body;
}

/** Raw bodies no JSON parser should choke on badly: malformed JSON and mislabelled content. */
export function rawBody(rng: Rng): { body: string | Buffer; type: string } {
  const options: { body: string | Buffer; type: string }[] = [
    { body: '{"a":', type: 'application/json' },
    { body: '{"a":1,}', type: 'application/json' },
    { body: "{'a':1}", type: 'application/json' },
    { body: 'null', type: 'application/json' },
    { body: '"string"', type: 'application/json' },
    { body: '12345', type: 'application/json' },
    { body: '[1,2,3]', type: 'application/json' },
    { body: '\u0000\u0001\u0002', type: 'application/json' },
    { body: '{"a":1}', type: 'application/json; charset=utf-16' },
    { body: '{"a":1}', type: 'application/json; charset=nope' },
    { body: '{"a":1}', type: 'text/plain' },
    { body: 'a=1&b[c]=2&__proto__[x]=1', type: 'application/x-www-form-urlencoded' },
    { body: '<xml/>', type: 'application/xml' },
    {
      body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
      type: 'multipart/form-data; boundary=x',
    },
    { body: '--x\r\nbroken', type: 'multipart/form-data; boundary=x' },
    { body: '{"a":1}', type: 'application/vnd.api+json' },
    // Built as text: 20,000 levels would overflow JSON.stringify here before reaching the server.
    { body: `${'{"a":['.repeat(20_000)}1${']}'.repeat(20_000)}`, type: 'application/json' },
    { body: `{${'"a":1,'.repeat(5000)}"b":2}`, type: 'application/json' },
    { body: '{"__proto__":{"isAdmin":true}}', type: 'application/json' },
    { body: Buffer.from([0xff, 0xfe, 0xfd, 0x00]), type: 'application/json' },
  ];
  return rng.pick(options);
}

/**
 * Percent-encodes the UTF-8 bytes of a string. Unlike encodeURIComponent it accepts lone
 * surrogates (sent as U+FFFD, the way a browser would), so every generated value can be sent.
 */
export function enc(value: unknown): string {
  let out = '';
  for (const byte of Buffer.from(String(value), 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Path segments for `:id` parameters: valid-looking, random, traversal and encoding tricks. */
export function randomPathSegment(rng: Rng, known: string[] = []): string {
  const choices = [
    ...known,
    crypto.randomUUID(),
    '00000000-0000-0000-0000-000000000000',
    'not-a-uuid',
    '-1',
    '0',
    '9007199254740993',
    '1e308',
    'NaN',
    '..%2f..%2fetc%2fpasswd',
    '%00',
    '%ff',
    '%',
    "'%20OR%201=1--",
    enc(randomString(rng, rng.int(1, 40))),
    'a'.repeat(rng.pick([37, 300, 5000])),
  ];
  return rng.pick(choices);
}

/** Query strings: repeated keys become arrays, brackets become objects in some parsers. */
export function randomQuery(rng: Rng, keys: readonly string[]): string {
  const params: string[] = [];
  for (const key of keys) {
    if (rng.chance(0.3)) continue;
    const roll = rng.int(0, 5);
    if (roll === 0) params.push(`${key}=${enc(String(rng.pick(EDGE_NUMBERS)))}`);
    else if (roll === 1) params.push(`${key}=1&${key}=2`);
    else if (roll === 2) params.push(`${key}[a]=1`);
    else if (roll === 3) params.push(`${key}=${enc(rng.pick(NASTY_STRINGS))}`);
    else if (roll === 4) params.push(`${key}=${enc(randomString(rng, rng.int(0, 80)))}`);
    else params.push(`${key}=${rng.pick(['%', '%zz', '%00', ''])}`);
  }
  if (rng.chance(0.1)) params.push(`${randomString(rng, 3).replace(/[^a-z]/gi, 'x')}=1`);
  return params.length ? `?${params.join('&')}` : '';
}
