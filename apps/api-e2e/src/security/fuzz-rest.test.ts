// Fuzz: every REST endpoint fed a seeded stream of hostile path parameters, query strings and
// bodies (wrong types, huge and broken strings, nesting, edge numbers, malformed JSON, wrong
// content types). Promise: never a 5xx, the process never exits, /health answers 200 after.
// Replay a failure with FUZZ_SEED=<the printed seed>; FUZZ_CASES scales the cases per endpoint.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ConversationView, MessageView } from '@chat/shared-dto';
import type { Method, RequestOptions, RestResponse, ServerProcess, TestUser } from '@chat/test-kit';
import {
  TINY_PNG,
  api,
  assertAlive,
  bootServer,
  directConversation,
  groupConversation,
  pool,
  registerUser,
  reportFigure,
} from './support';
import {
  createRng,
  fuzzSeed,
  mutateObject,
  randomPathSegment,
  randomQuery,
  randomString,
  randomValue,
  rawBody,
  type Json,
} from './fuzz-values';

const CASES = Number(process.env['FUZZ_CASES']) || 300;
const seed = fuzzSeed();
const rng = createRng(seed);

let server: ServerProcess;
let me: TestUser, other: TestUser;
let conversation: ConversationView, group: ConversationView;
let message: MessageView;

interface Failure {
  name: string;
  path: string;
  status?: number;
  error?: string;
  body: string | undefined;
  answer?: string;
}
const failures: Failure[] = [];
const tally = { inputs: 0, byStatus: {} as Record<number, number> };

before(async () => {
  server = await bootServer();
  [me, other] = await Promise.all([registerUser(server, 'fz'), registerUser(server, 'fz')]);
  conversation = await directConversation(server, me, other);
  group = await groupConversation(server, me, [other], 'fuzz group');
  const sent = await api<MessageView>(
    server,
    'POST',
    `/api/conversations/${conversation.id}/messages`,
    {
      token: me.token,
      body: { clientId: 'seed-1', content: 'hi' },
    },
  );
  assert.ok(sent.json, sent.text);
  message = sent.json;
});
after(async () => {
  if (server) await server.stop();
});

/** Known ids mixed into path parameters, so that some cases reach the service layer. */
const ids = () => [conversation.id, group.id, me.id, other.id, message.id];
const seg = () => randomPathSegment(rng, ids());

/** A body: mostly mutated valid shapes, sometimes a raw malformed one. */
function body(valid: { [key: string]: Json }): RequestOptions {
  if (rng.chance(0.2)) {
    const raw = rawBody(rng);
    return { body: raw.body, headers: { 'content-type': raw.type } };
  }
  return { body: mutateObject(rng, valid) };
}

/**
 * The endpoints. The fuzzed user's own account must survive the run (other endpoints need it),
 * so logout and the password change run with a throwaway user's token.
 */
type Case = [Method, string, RequestOptions];
const endpoints: [string, () => Case][] = [
  [
    'POST /api/auth/register',
    () => [
      'POST',
      '/api/auth/register',
      body({
        username: `fz${rng.int(0, 1e9)}`,
        email: `f${rng.int(0, 1e9)}@x.test`,
        password: 'password1',
      }),
    ],
  ],
  [
    'POST /api/auth/login',
    () => [
      'POST',
      '/api/auth/login',
      body(
        rng.chance(0.5)
          ? { email: me.email, password: randomString(rng, 10) }
          : { username: me.username, password: randomString(rng, 10) },
      ),
    ],
  ],
  ['GET /api/auth/me', () => ['GET', `/api/auth/me${randomQuery(rng, ['x'])}`, {}]],
  ['GET /api/auth/sessions', () => ['GET', `/api/auth/sessions${randomQuery(rng, ['limit'])}`, {}]],
  ['DELETE /api/auth/sessions/:id', () => ['DELETE', `/api/auth/sessions/${seg()}`, {}]],
  [
    'POST /api/auth/password',
    () => [
      'POST',
      '/api/auth/password',
      body({ currentPassword: randomString(rng, 10), newPassword: 'new-password-1' }),
    ],
  ],
  [
    'GET /api/users/search',
    () => ['GET', `/api/users/search${randomQuery(rng, ['query', 'limit'])}`, {}],
  ],
  [
    'PATCH /api/users/me',
    () => [
      'PATCH',
      '/api/users/me',
      body({ displayName: 'x', avatarUrl: 'https://example.test/a.png', statusMessage: 's' }),
    ],
  ],
  ['GET /api/users/:id', () => ['GET', `/api/users/${seg()}`, {}]],
  [
    'GET /api/conversations',
    () => ['GET', `/api/conversations${randomQuery(rng, ['limit', 'cursor'])}`, {}],
  ],
  [
    'POST /api/conversations',
    () => [
      'POST',
      '/api/conversations',
      body(
        rng.chance(0.5)
          ? { userId: other.id }
          : { type: 'group', name: 'g', memberIds: [other.id] },
      ),
    ],
  ],
  ['GET /api/conversations/:id', () => ['GET', `/api/conversations/${seg()}`, {}]],
  [
    'PATCH /api/conversations/:id',
    () => ['PATCH', `/api/conversations/${seg()}`, body({ name: 'renamed' })],
  ],
  [
    'POST /api/conversations/:id/members',
    () => ['POST', `/api/conversations/${seg()}/members`, body({ userIds: [other.id] })],
  ],
  [
    'PATCH /api/conversations/:id/members/:userId',
    () => ['PATCH', `/api/conversations/${seg()}/members/${seg()}`, body({ role: 'admin' })],
  ],
  [
    'GET /api/conversations/:id/messages',
    () => [
      'GET',
      `/api/conversations/${seg()}/messages${randomQuery(rng, ['limit', 'before', 'after'])}`,
      {},
    ],
  ],
  [
    'POST /api/conversations/:id/messages',
    () => [
      'POST',
      `/api/conversations/${seg()}/messages`,
      body({ clientId: `c${rng.int(0, 1e9)}`, content: 'hello', type: 'text' }),
    ],
  ],
  [
    'GET /api/conversations/:id/messages/:messageId/receipts',
    () => ['GET', `/api/conversations/${seg()}/messages/${seg()}/receipts`, {}],
  ],
  [
    'GET /api/uploads/:name',
    () => [
      'GET',
      `/api/uploads/${rng.chance(0.3) ? `${'0123456789abcdef'.repeat(2)}.${rng.pick(['png', 'jpg', 'webp', 'gif', 'svg', 'html'])}` : seg()}`,
      {},
    ],
  ],
  ['POST /api/upload', () => ['POST', '/api/upload', uploadBody()]],
  // Destructive ones last: a case may well remove the caller from the group.
  [
    'DELETE /api/conversations/:id/members/:userId',
    () => ['DELETE', `/api/conversations/${seg()}/members/${seg()}`, {}],
  ],
  ['POST /api/conversations/:id/leave', () => ['POST', `/api/conversations/${seg()}/leave`, {}]],
  ['POST /api/auth/logout', () => ['POST', '/api/auth/logout', rng.chance(0.5) ? body({}) : {}]],
];

/** Multipart bodies: truncated or mutated images, wrong field names, several files, no file. */
function uploadBody(): RequestOptions {
  const form = new FormData();
  const roll = rng.int(0, 5);
  let bytes = Buffer.from(TINY_PNG);
  if (roll === 0) bytes = bytes.subarray(0, rng.int(0, bytes.length));
  if (roll === 1)
    for (let i = 0; i < 8; i += 1) bytes[rng.int(0, bytes.length - 1)] = rng.int(0, 255);
  if (roll === 2) bytes = Buffer.from(randomString(rng, rng.int(0, 2000)));
  const field = roll === 3 ? rng.pick(['files', 'image', '', randomString(rng, 5)]) : 'file';
  form.append(
    field,
    new Blob([new Uint8Array(bytes)], {
      type: rng.pick(['image/png', 'text/html', 'image/svg+xml', '']),
    }),
    rng.pick(['a.png', '../../x.png', '\u0000.png', randomString(rng, 20)]),
  );
  if (roll === 4) form.append('file', new Blob([new Uint8Array(TINY_PNG)]), 'b.png');
  if (roll === 5) form.append(randomString(rng, 3), asText(randomValue(rng)).slice(0, 2000));
  return { body: form };
}

/** A form field's text for any hostile value (a prototype-less object has no `toString`). */
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return JSON.stringify(value) ?? '';
  }
}

test(`every REST endpoint survives ${CASES} hostile inputs (seed ${seed})`, async (t) => {
  t.diagnostic(`FUZZ_SEED=${seed}`);
  const started = Date.now();
  for (const [name, make] of endpoints) {
    // Logout and the password change would end the fuzzing user's session: give them their own.
    const own = /logout|password/.test(name) ? await registerUser(server, 'fzx') : me;
    const cases = name === 'POST /api/upload' ? Math.ceil(CASES / 3) : CASES;
    const inputs = Array.from({ length: cases }, () => make());
    await pool(inputs, 4, async ([method, path, options]) => {
      // Mostly the fuzzing user's token; sometimes none, sometimes garbage.
      const token = rng.chance(0.9) ? own.token : rng.pick([undefined, 'garbage', `${own.token}x`]);
      tally.inputs += 1;
      let res: RestResponse<unknown>;
      try {
        res = await api(server, method, path, { token, ...options, timeoutMs: 20_000 });
      } catch (err) {
        failures.push({
          name,
          path: path.slice(0, 120),
          error: err instanceof Error ? err.message : String(err),
          body: describeBody(options.body),
        });
        return;
      }
      tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
      if (res.status >= 500)
        failures.push({
          name,
          path: path.slice(0, 120),
          status: res.status,
          body: describeBody(options.body),
          answer: res.text.slice(0, 200),
        });
    });
    assert.equal(server.child.exitCode, null, `server exited during ${name}`);
  }
  const failuresByEndpoint: Record<string, number> = {};
  for (const f of failures) failuresByEndpoint[f.name] = (failuresByEndpoint[f.name] ?? 0) + 1;
  reportFigure(t, 'REST fuzz', {
    seed,
    inputs: tally.inputs,
    endpoints: endpoints.length,
    seconds: (Date.now() - started) / 1000,
    byStatus: tally.byStatus,
    failures: failures.length,
    failuresByEndpoint,
  });
  assert.deepEqual(
    failures.slice(0, 10),
    [],
    `${failures.length} inputs failed (seed ${seed}); first ones shown`,
  );
  await assertAlive(server);
});

function describeBody(b: unknown): string | undefined {
  if (b === undefined) return undefined;
  if (b instanceof FormData) return 'multipart';
  const text =
    typeof b === 'string' ? b : Buffer.isBuffer(b) ? b.toString('hex') : JSON.stringify(b);
  return text.length > 200 ? `${text.slice(0, 200)}... (${text.length} chars)` : text;
}

// Found by this fuzzer (seed 281955400): validator's isEmail runs encodeURI, which throws on a
// lone UTF-16 surrogate, and the URIError becomes a 500. Bad input must be a 400.
test('regression: a lone surrogate in the register email is a 400, not a 500', async () => {
  for (const email of ['\uda5c@x.test', 'a\uda5c']) {
    const res = await api(server, 'POST', '/api/auth/register', {
      body: { username: `fz_surrogate`, email, password: 'password1' },
    });
    assert.equal(res.status, 400, `email ${JSON.stringify(email)} -> ${res.status} ${res.text}`);
  }
});

// Found by black-box testing: 2,500 levels of `{"a":{"a":...}}` overflowed the validator's
// stack (a 500). Every route with a JSON body answers 400 naming the limit; a route that reads
// no body ignores it. Valid ids in the paths, so that only the body can be wrong.
test('a JSON body nested 2,500 levels deep is a 400 on every route that reads a body', async () => {
  let nested: Json = 'x';
  for (let i = 0; i < 2500; i++) nested = { a: nested };
  const own = await registerUser(server, 'fzd');
  const c = `/api/conversations/${conversation.id}`;
  const g = `/api/conversations/${group.id}`;
  const routes: [Method, string, string | undefined][] = [
    ['POST', '/api/auth/register', undefined],
    ['POST', '/api/auth/login', undefined],
    ['POST', '/api/auth/password', own.token],
    ['PATCH', '/api/users/me', own.token],
    ['DELETE', '/api/users/me', own.token],
    ['POST', '/api/conversations', me.token],
    ['PATCH', g, me.token],
    ['POST', `${g}/members`, me.token],
    ['PATCH', `${g}/members/${other.id}`, me.token],
    ['POST', `${c}/messages`, me.token],
    ['PATCH', `${c}/messages/${message.id}`, me.token],
    ['PATCH', `${c}/settings`, me.token],
    ['POST', '/api/push/subscriptions', me.token],
    ['DELETE', '/api/push/subscriptions', me.token],
  ];
  const wrong: string[] = [];
  for (const [method, path, token] of routes) {
    const res = await api(server, method, path, { token, body: nested as never });
    if (res.status !== 400 || !/nests deeper than/.test(res.text))
      wrong.push(`${method} ${path}: ${res.status} ${res.text.slice(0, 120)}`);
  }
  assert.deepEqual(wrong, [], 'every deep body is refused as too deep');
  await assertAlive(server);
});
