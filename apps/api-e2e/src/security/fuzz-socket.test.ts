// Fuzz: every client->server socket event fed a seeded stream of hostile payloads (wrong types,
// huge and broken strings, nesting, edge numbers, extra arguments, no ack, binary), and the
// engine fed malformed raw packets. Promise: every ack is `{ ok: true }` or
// `{ ok: false, error: { code } }` with a contract code other than INTERNAL (bad input is never
// our fault), no event goes unanswered, the process never exits, /health answers 200 after.
// Replay with FUZZ_SEED=<the printed seed>; FUZZ_CASES scales the cases per event.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ConversationView, MessageView, SocketErrorCode } from '@chat/shared-dto';
import {
  ackError,
  emitAck,
  emitRaw,
  sleep,
  untyped,
  type ChatSocket,
  type ServerProcess,
  type TestUser,
} from '@chat/test-kit';
import { io } from 'socket.io-client';
import {
  CONTRACT_CODES,
  api,
  assertAlive,
  bootServer,
  connectSocket,
  directConversation,
  registerUser,
  reportFigure,
} from './support';
import {
  createRng,
  fuzzSeed,
  hugeString,
  mutateObject,
  randomString,
  randomValue,
  type Json,
} from './fuzz-values';

/** An ack callback whose answer does not matter (the frame is meant to be refused). */
const ignoreAck = () => undefined;
const CASES = Number(process.env['FUZZ_CASES']) || 500;
const seed = fuzzSeed();
const rng = createRng(seed);

let server: ServerProcess;
let me: TestUser, other: TestUser;
let conversation: ConversationView;
let message: MessageView;
const sockets: ChatSocket[] = [];

before(async () => {
  server = await bootServer();
  [me, other] = await Promise.all([registerUser(server, 'fs'), registerUser(server, 'fs')]);
  conversation = await directConversation(server, me, other);
  const sent = await api<MessageView>(
    server,
    'POST',
    `/api/conversations/${conversation.id}/messages`,
    {
      token: other.token,
      body: { clientId: 'seed-1', content: 'hi' },
    },
  );
  assert.ok(sent.json, sent.text);
  message = sent.json;
});
after(async () => {
  for (const s of sockets) s.close();
  if (server) await server.stop();
});

const anyId = () =>
  rng.pick([
    conversation.id,
    message.id,
    me.id,
    crypto.randomUUID(),
    randomString(rng, 36),
    '00000000-0000-0000-0000-000000000000',
  ]);
const EVENTS: Record<string, () => { [key: string]: Json }> = {
  'message:send': () => ({
    conversationId: conversation.id,
    clientId: `c${rng.int(0, 1e12)}`,
    content: 'hello',
    type: 'text',
  }),
  'message:delivered': () => ({ conversationId: conversation.id, messageId: message.id }),
  'message:read': () => ({ conversationId: conversation.id, messageId: message.id }),
  'typing:start': () => ({ conversationId: conversation.id }),
  'typing:stop': () => ({ conversationId: conversation.id }),
  'conversation:join': () => ({ conversationId: conversation.id }),
  'call:invite': () => ({
    conversationId: conversation.id,
    callId: crypto.randomUUID(),
    media: 'audio',
    sdp: 'v=0',
  }),
  'call:answer': () => ({ callId: crypto.randomUUID(), sdp: 'v=0' }),
  'call:ice': () => ({ callId: crypto.randomUUID(), candidate: { candidate: 'candidate:1' } }),
  'call:end': () => ({ callId: crypto.randomUUID() }),
};

/** A payload: mutated valid shapes (to reach the services), random ids, or anything at all. */
function payload(valid: { [key: string]: Json }): Json | Buffer {
  const roll = rng.int(0, 9);
  if (roll <= 5) return mutateObject(rng, valid);
  if (roll === 6)
    return Object.fromEntries(
      Object.keys(valid).map((k) => [k, k.endsWith('Id') ? anyId() : randomValue(rng)]),
    );
  if (roll === 7)
    return rng.pick([
      null,
      0,
      '',
      'string',
      [],
      [valid],
      true,
      hugeString(rng),
      Buffer.from(randomString(rng, 50)),
    ]);
  if (roll === 8) return { ...valid, content: randomString(rng, rng.int(0, 5000)) };
  return randomValue(rng);
}

const isOk = (ack: unknown): boolean =>
  typeof ack === 'object' && ack !== null && 'ok' in ack && ack.ok === true;

/** The `error.code` of an ack-shaped value, if it has one. */
function codeOf(ack: unknown): string | undefined {
  if (typeof ack !== 'object' || ack === null || !('error' in ack)) return undefined;
  const { error } = ack;
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** `{ ok: true }`, or `{ ok: false, error: { code, message } }` with a contract code but INTERNAL. */
function isContractAck(ack: unknown): boolean {
  if (isOk(ack)) return true;
  if (typeof ack !== 'object' || ack === null || !('ok' in ack) || ack.ok !== false) return false;
  const code = codeOf(ack);
  const error = 'error' in ack ? ack.error : undefined;
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? error.message : undefined;
  return (
    code !== undefined &&
    CONTRACT_CODES.includes(code as SocketErrorCode) &&
    code !== 'INTERNAL' &&
    typeof message === 'string'
  );
}

/** A socket for the fuzzer; replaced when the server closes one (oversized frames do that). */
async function liveSocket(current?: ChatSocket): Promise<ChatSocket> {
  if (current?.connected) return current;
  const fresh = await connectSocket(server, me.token);
  sockets.push(fresh);
  return fresh;
}

test(`every socket event answers hostile payloads with a contract ack (seed ${seed})`, async (t) => {
  t.diagnostic(`FUZZ_SEED=${seed}`);
  const started = Date.now();
  const tally = {
    inputs: 0,
    ok: 0,
    codes: {} as Record<string, number>,
    reconnects: 0,
    noAckSent: 0,
  };
  const failures: { event: string; body?: string; error?: string; ack?: string }[] = [];
  let socket = await liveSocket();

  for (const [event, valid] of Object.entries(EVENTS)) {
    for (let i = 0; i < CASES; i += 1) {
      const before = socket;
      socket = await liveSocket(socket);
      if (socket !== before) tally.reconnects += 1;
      const body = payload(valid());
      tally.inputs += 1;
      const extra = rng.int(0, 9);
      if (extra === 0) {
        // No ack callback at all: the server must not throw trying to answer.
        untyped(socket).emit(event, body);
        tally.noAckSent += 1;
        continue;
      }
      let ack: unknown;
      try {
        // A frame over 64 KiB is closed by the server, not answered: that is the promise there.
        const size = Buffer.byteLength(JSON.stringify(body ?? null) ?? '');
        if (size > 60_000) {
          untyped(socket).emit(event, body, ignoreAck);
          await sleep(20);
          continue;
        }
        ack =
          extra === 1
            ? await emitRaw(socket, event, [body, randomValue(rng)])
            : await emitRaw(socket, event, [body]);
      } catch (err) {
        if (!socket.connected) continue; // closed for an oversized frame: replaced next round
        failures.push({
          event,
          body: JSON.stringify(body)?.slice(0, 200),
          error: err instanceof Error ? err.message : String(err),
        });
        continue;
      }
      const shapeOk = isContractAck(ack);
      if (!shapeOk)
        failures.push({
          event,
          body: JSON.stringify(body)?.slice(0, 200),
          ack: JSON.stringify(ack).slice(0, 200),
        });
      const code = codeOf(ack);
      if (isOk(ack)) tally.ok += 1;
      else if (code) tally.codes[code] = (tally.codes[code] ?? 0) + 1;
    }
    assert.equal(server.child.exitCode, null, `server exited during ${event}`);
  }

  reportFigure(t, 'socket fuzz', {
    seed,
    inputs: tally.inputs,
    events: Object.keys(EVENTS).length,
    seconds: (Date.now() - started) / 1000,
    ok: tally.ok,
    codes: tally.codes,
    noAckSent: tally.noAckSent,
    reconnects: tally.reconnects,
    failures: failures.length,
  });
  assert.deepEqual(
    failures.slice(0, 10),
    [],
    `${failures.length} inputs failed (seed ${seed}); first ones shown`,
  );
  await assertAlive(server);
});

test('unknown events, binary payloads and malformed raw packets do not hurt the server', async (t) => {
  let raw = 0;
  // Unknown and reserved event names, with and without ack.
  const s = await connectSocket(server, me.token);
  sockets.push(s);
  // (Reserved names such as "connect" are refused by the client library: sent raw below.)
  for (const name of [
    'nope',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'message:new',
    'x'.repeat(1000),
    '',
  ]) {
    untyped(s).emit(name, { a: 1 }, ignoreAck);
    raw += 1;
  }
  // Raw Engine.IO/Socket.IO frames straight onto the transport: broken JSON, bad types, bad
  // namespaces, bogus ack ids and binary attachment counts that never arrive.
  const frames = [
    '42',
    '42[',
    '42["message:send"',
    '42{"a":1}',
    '42[1,2,3]',
    '42[null]',
    '421["message:send"]',
    '4299999999999999999999["message:send",{}]',
    '42/nope,["message:send",{}]',
    '40/admin,',
    '451-["message:send",{"_placeholder":true,"num":0}]',
    '459999-["x"]',
    '4',
    '3',
    '6',
    '7',
    'x',
    '\u0000',
    '2probe',
    `42["message:send",${'['.repeat(5000)}]`,
    '41',
    '43["message:send"]',
    '44{"message":"x"}',
    '46["x"]',
    '42["connect",{}]',
    '42["disconnect"]',
    '42["disconnecting",1]',
    '42["__proto__",{}]',
    '421["constructor"]',
  ];
  for (let i = 0; i < 200; i += 1) {
    const socket = io(server.url, {
      auth: { token: me.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', () => resolve());
    });
    const frame =
      i < frames.length
        ? frames[i]
        : `42${JSON.stringify([randomString(rng, 10), randomValue(rng)])}`.slice(0, 50_000);
    socket.io.engine?.write(frame);
    raw += 1;
    if (i % 10 === 9) await sleep(20);
    socket.close();
  }
  await sleep(300);
  reportFigure(t, 'raw frames', { sent: raw });
  // A fresh client still works end to end.
  const probe = await connectSocket(server, me.token);
  sockets.push(probe);
  const ack = await emitAck(probe, 'message:send', {
    conversationId: conversation.id,
    clientId: 'after-raw',
    content: 'still fine',
  });
  assert.equal(ack.ok, true, JSON.stringify(ack));
  await assertAlive(server);
});

// Found by this fuzzer (seed 282071092): a NUL character in `content` makes PostgreSQL refuse
// the insert (22021). REST maps that to a 400; the socket ack says INTERNAL. Bad input must be
// BAD_REQUEST on the socket too.
test('regression: a NUL character in message:send content is BAD_REQUEST, not INTERNAL', async () => {
  const socket = await connectSocket(server, me.token);
  sockets.push(socket);
  const ack = await emitAck(socket, 'message:send', {
    conversationId: conversation.id,
    clientId: 'nul-1',
    content: 'a\u0000b',
  });
  assert.equal(ack.ok, false);
  assert.equal(ackError(ack).code, 'BAD_REQUEST', JSON.stringify(ack));
});

// Found by black-box testing: a payload nested 2,500 levels deep overflowed the validator's
// stack and the ack was INTERNAL. Every acknowledged event answers BAD_REQUEST instead.
test('a payload nested 2,500 levels deep is BAD_REQUEST on every acknowledged event', async () => {
  const socket = await connectSocket(server, me.token);
  sockets.push(socket);
  let nested: Json = 'x';
  for (let i = 0; i < 2500; i++) nested = { a: nested };
  const events = [
    ...Object.keys(EVENTS),
    'message:edit',
    'message:delete',
    'reaction:add',
    'reaction:remove',
  ].filter((event) => !event.startsWith('typing:'));
  const wrong: string[] = [];
  for (const event of events) {
    const ack = await emitRaw(socket, event, [{ conversationId: conversation.id, deep: nested }]);
    const code = (ack as { error?: { code?: string } } | null)?.error?.code;
    if (!isContractAck(ack) || code !== 'BAD_REQUEST')
      wrong.push(`${event}: ${JSON.stringify(ack).slice(0, 160)}`);
  }
  assert.deepEqual(wrong, [], 'every deep payload is refused as a bad request');
  await assertAlive(server);
});
