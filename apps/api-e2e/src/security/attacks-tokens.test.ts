// Attacks on authentication: forged, expired, revoked and algorithm-confused tokens are refused
// on REST and on the socket handshake alike, a logout or a revoked session closes its open
// sockets at once, and a browser handshake from a foreign Origin (cross-site WebSocket
// hijacking) is refused while token-bearing non-browser clients (no Origin) are served.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ChatSocket, ServerProcess, TestUser } from '@chat/test-kit';
import jwt from 'jsonwebtoken';
import { emitAck } from '@chat/test-kit';
import {
  SECRET,
  api,
  assertAlive,
  bootServer,
  connectSocket,
  login,
  registerUser,
} from './support';

let server: ServerProcess;
let alice: TestUser, bob: TestUser;
const sockets: ChatSocket[] = [];
const CLIENT_URL = 'http://chat.example.test';

before(async () => {
  server = await bootServer({ CLIENT_URL });
  [alice, bob] = await Promise.all([registerUser(server, 'alice'), registerUser(server, 'bob')]);
});
after(async () => {
  for (const s of sockets) s.close();
  if (server) await server.stop();
});

const b64 = (obj: object): string => Buffer.from(JSON.stringify(obj)).toString('base64url');

/** Each is refused on `GET /api/auth/me` (401) and on the socket handshake (connect_error). */
async function assertTokenRefused(token: string, label: string): Promise<void> {
  const res = await api(server, 'GET', '/api/auth/me', { token });
  assert.equal(res.status, 401, `${label}: REST answered ${res.status} ${res.text.slice(0, 200)}`);
  assert.ok(!res.text.includes(alice.email), `${label}: leaked data`);
  await assert.rejects(
    connectSocket(server, token, { timeoutMs: 5_000 }),
    (err: Error) => {
      assert.match(
        String(err.message),
        /Unauthorized|invalid|revoked/i,
        `${label}: ${err.message}`,
      );
      return true;
    },
    `${label}: the socket accepted it`,
  );
}

interface Claims {
  sub: string;
  username: string;
  jti: string;
}

/** The claims the server put in a token it issued. */
function claimsOf(token: string): Claims {
  const decoded = jwt.decode(token, { json: true });
  assert.ok(decoded, 'the token decodes');
  return decoded as unknown as Claims;
}

describe('forged and confused tokens', () => {
  test('alg none, wrong secret, HS512, RS256, HS256 keyed with a public key, and garbage are refused', async () => {
    const real = claimsOf(alice.token);
    const claims = { sub: real.sub, username: real.username, jti: real.jti };
    const now = Math.floor(Date.now() / 1000);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' });

    const cases = {
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}.`,
      'alg None, signature kept': `${b64({ alg: 'None', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}.${alice.token.split('.')[2]}`,
      'wrong secret': jwt.sign(claims, 'not-the-secret-0123456789abcdef0123456789', {
        algorithm: 'HS256',
        expiresIn: 3600,
      }),
      'HS512 with the real secret': jwt.sign(claims, SECRET, {
        algorithm: 'HS512',
        expiresIn: 3600,
      }),
      'HS384 with the real secret': jwt.sign(claims, SECRET, {
        algorithm: 'HS384',
        expiresIn: 3600,
      }),
      'RS256 with an attacker key': jwt.sign(claims, privateKey, {
        algorithm: 'RS256',
        expiresIn: 3600,
      }),
      'HS256 keyed with a public key': jwt.sign(claims, publicPem, {
        algorithm: 'HS256',
        expiresIn: 3600,
        allowInsecureKeySizes: true,
      }),
      'payload swapped, signature kept': `${alice.token.split('.')[0]}.${b64({ ...claims, sub: bob.id })}.${alice.token.split('.')[2]}`,
      empty: '',
      garbage: 'a.b.c',
    };
    for (const [label, token] of Object.entries(cases)) {
      if (label === 'empty') {
        assert.equal(
          (await api(server, 'GET', '/api/auth/me', { headers: { authorization: 'Bearer ' } }))
            .status,
          401,
        );
        continue;
      }
      await assertTokenRefused(token, label);
    }
  });

  test('expired tokens and validly signed tokens without a live session are refused', async () => {
    const real = claimsOf(alice.token);
    const now = Math.floor(Date.now() / 1000);
    // These use the real secret on purpose: even a leaked secret does not mint sessions.
    await assertTokenRefused(
      jwt.sign(
        { sub: real.sub, username: real.username, jti: real.jti, iat: now - 7200, exp: now - 60 },
        SECRET,
      ),
      'expired',
    );
    await assertTokenRefused(
      jwt.sign({ sub: real.sub, username: real.username }, SECRET, {
        jwtid: randomUUID(),
        expiresIn: 3600,
      }),
      'unknown session',
    );
    await assertTokenRefused(
      jwt.sign({ sub: bob.id, username: bob.username }, SECRET, {
        jwtid: real.jti,
        expiresIn: 3600,
      }),
      "someone else's session",
    );
    await assertTokenRefused(
      jwt.sign({ sub: real.sub, username: real.username }, SECRET, { expiresIn: 3600 }),
      'no jti',
    );
    await assertTokenRefused(
      jwt.sign({ sub: "' OR 1=1 --", jti: "' OR 1=1 --" }, SECRET, { expiresIn: 3600 }),
      'injection in claims',
    );
  });
});

describe('revocation', () => {
  test('logout revokes the token on REST and closes its open socket at once', async () => {
    const token = await login(server, alice);
    const socket = await connectSocket(server, token);
    sockets.push(socket);
    const closed = new Promise<{ reason: string; at: number }>((resolve) =>
      socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })),
    );
    const started = Date.now();
    const res = await api(server, 'POST', '/api/auth/logout', { token });
    assert.equal(res.status, 204);
    const { reason, at } = await Promise.race([
      closed,
      new Promise<never>((_, rej) =>
        setTimeout(() => rej(new Error('socket still open 3 s after logout')), 3000),
      ),
    ]);
    assert.equal(reason, 'io server disconnect');
    assert.ok(at - started < 3000);
    await assertTokenRefused(token, 'logged out');
    assert.equal(
      (await api(server, 'GET', '/api/auth/me', { token: alice.token })).status,
      200,
      'other sessions stay',
    );
  });

  test('a session revoked from another device is refused and its socket closed', async () => {
    const laptop = await login(server, bob);
    const socket = await connectSocket(server, laptop);
    sockets.push(socket);
    const closed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no disconnect within 3000 ms')), 3000);
      socket.once('disconnect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const { jti } = claimsOf(laptop);
    const res = await api(server, 'DELETE', `/api/auth/sessions/${jti}`, { token: bob.token });
    assert.equal(res.status, 204, res.text);
    await closed;
    await assertTokenRefused(laptop, 'revoked session');
  });

  test('changing the password revokes every other session', async () => {
    const carol = await registerUser(server, 'carol');
    const other = await login(server, carol);
    const res = await api(server, 'POST', '/api/auth/password', {
      token: carol.token,
      body: { currentPassword: carol.password, newPassword: 'a-brand-new-password' },
    });
    assert.equal(res.status, 200, res.text);
    await assertTokenRefused(other, 'session from before the password change');
  });
});

describe('cross-site WebSocket hijacking', () => {
  test('a handshake with a foreign Origin is refused, on websocket and polling', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      `${CLIENT_URL}.evil.example`,
      'http://chat.example.test:8080',
    ]) {
      await assert.rejects(
        connectSocket(server, alice.token, { headers: { origin }, timeoutMs: 5_000 }),
        `websocket from Origin ${origin} was accepted`,
      );
      const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
        headers: { origin },
      });
      assert.ok(
        poll.status >= 400 && poll.status < 500,
        `polling from Origin ${origin}: ${poll.status}`,
      );
      assert.notEqual(poll.headers.get('access-control-allow-origin'), origin);
    }
  });

  test('the configured origin and non-browser clients (no Origin) connect with a token', async () => {
    const fromApp = await connectSocket(server, alice.token, { headers: { origin: CLIENT_URL } });
    sockets.push(fromApp);
    const noOrigin = await connectSocket(server, alice.token);
    sockets.push(noOrigin);
    assert.equal(
      (await emitAck(noOrigin, 'typing:stop', { conversationId: randomUUID() })).ok,
      false,
    );
    // No Origin still needs a token.
    await assert.rejects(
      connectSocket(server, undefined, { timeoutMs: 5_000 }),
      /Unauthorized|token/i,
    );
  });

  test('REST CORS allows only CLIENT_URL', async () => {
    const evil = await fetch(`${server.url}/api/auth/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.notEqual(evil.headers.get('access-control-allow-origin'), 'https://evil.example');
    assert.notEqual(evil.headers.get('access-control-allow-origin'), '*');
    const good = await fetch(`${server.url}/api/auth/me`, {
      method: 'OPTIONS',
      headers: { origin: CLIENT_URL, 'access-control-request-method': 'GET' },
    });
    assert.equal(good.headers.get('access-control-allow-origin'), CLIENT_URL);
    await assertAlive(server);
  });
});
