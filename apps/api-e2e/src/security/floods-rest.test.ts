// Floods over HTTP: bodies over the limits are refused with 413 before they cost memory, the
// REST limits (per IP before login, per user after) answer 429 with Retry-After without
// touching other users, brute-force logins lock the account, and the per-address connection
// cap follows MAX_CONNECTIONS_PER_IP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AuthResponse, HttpErrorBody, UploadView } from '@chat/shared-dto';
import type { ChatSocket, Method, RequestOptions, ServerProcess, TestUser } from '@chat/test-kit';
import {
  TINY_PNG,
  api,
  assertAlive,
  bootServer,
  connectSocket,
  directConversation,
  pool,
  registerUser,
  reportFigure,
  rssMiB,
} from './support';

const MAX_FILE_SIZE = 64 * 1024;
const servers: ServerProcess[] = [];
let server: ServerProcess;
let alice: TestUser, bob: TestUser;

before(async () => {
  server = await bootServer({
    MAX_FILE_SIZE: String(MAX_FILE_SIZE),
    // Documents may be larger than images; the 20 MB bodies below are over both limits.
    MAX_ATTACHMENT_SIZE: String(1024 * 1024),
    THROTTLE_USER_LIMIT: '40',
    LOGIN_MAX_FAILURES_ACCOUNT: '3',
    MAX_CONNECTIONS_PER_IP: '5',
  });
  servers.push(server);
  [alice, bob] = await Promise.all([registerUser(server, 'big'), registerUser(server, 'big')]);
});
after(async () => {
  for (const s of servers) await s.stop();
});

describe('body limits', () => {
  test('JSON and form bodies over 64 KiB are 413 on every route, authenticated or not', async () => {
    const conversation = await directConversation(server, alice, bob);
    const big = 'x'.repeat(70 * 1024);
    const cases: [Method, string, RequestOptions][] = [
      ['POST', '/api/auth/register', { body: { username: 'a', email: 'a@b.c', password: big } }],
      ['POST', '/api/auth/login', { body: { username: 'a', password: big } }],
      ['PATCH', '/api/users/me', { token: alice.token, body: { statusMessage: big } }],
      [
        'POST',
        `/api/conversations/${conversation.id}/messages`,
        { token: alice.token, body: { clientId: 'big', content: big } },
      ],
      [
        'POST',
        '/api/conversations',
        { token: alice.token, body: { type: 'group', name: big, memberIds: [bob.id] } },
      ],
      [
        'POST',
        '/api/auth/login',
        {
          body: `username=a&password=${big}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
    ];
    for (const [method, path, options] of cases) {
      const res = await api(server, method, path, options);
      assert.equal(res.status, 413, `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    }
    // 64 KiB is the limit, not the message length: just under it reaches validation (400).
    const under = await api(server, 'POST', `/api/conversations/${conversation.id}/messages`, {
      token: alice.token,
      body: { clientId: 'u', content: 'x'.repeat(60_000) },
    });
    assert.equal(under.status, 400);
  });

  test('an upload over MAX_FILE_SIZE is 413 naming the limit; a 20 MB body does not grow memory', async (t) => {
    const form = new FormData();
    const oversized = Buffer.concat([TINY_PNG, Buffer.alloc(MAX_FILE_SIZE + 1024, 1)]);
    form.append('file', new Blob([oversized], { type: 'image/png' }), 'big.png');
    const res = await api<HttpErrorBody>(server, 'POST', '/api/upload', {
      token: alice.token,
      body: form,
    });
    assert.equal(res.status, 413, res.text);
    assert.match(String(res.json?.message), /65536 bytes|64 KiB/);

    // Markup claiming to be a PNG is stored harmlessly: as the plain text its bytes are, served
    // only as a download (nosniff, CSP sandbox), never as an image or a page.
    const notImage = new FormData();
    notImage.append(
      'file',
      new Blob([Buffer.from('<svg onload=alert(1)>')], { type: 'image/png' }),
      'x.png',
    );
    const stored = await api<UploadView>(server, 'POST', '/api/upload', {
      token: alice.token,
      body: notImage,
    });
    assert.equal(stored.status, 201, stored.text);
    assert.equal(stored.json?.kind, 'file');
    assert.equal(stored.json?.mimeType, 'text/plain');

    const before = rssMiB(server.pid);
    const huge = Buffer.alloc(20 * 1024 * 1024, 'a');
    const started = Date.now();
    const results: (number | string)[] = [];
    await pool([0, 1, 2, 3], 4, async (i) => {
      const hugeForm = new FormData();
      hugeForm.append('file', new Blob([huge], { type: 'image/png' }), 'huge.png');
      const path = i % 2 ? '/api/upload' : '/api/auth/register';
      const r = await api(
        server,
        'POST',
        path,
        i % 2
          ? { token: alice.token, body: hugeForm }
          : { body: huge.toString(), headers: { 'content-type': 'application/json' } },
      ).catch((err: Error) => ({ status: `error ${err.message}` }));
      results.push(r.status);
    });
    const afterRss = rssMiB(server.pid);
    reportFigure(t, '20 MB bodies', {
      statuses: results,
      seconds: (Date.now() - started) / 1000,
      rssBeforeMiB: Math.round(before ?? 0),
      rssAfterMiB: Math.round(afterRss ?? 0),
    });
    for (const status of results) assert.equal(status, 413);
    if (before !== null && afterRss !== null)
      assert.ok(
        afterRss - before < 150,
        `4 x 20 MB bodies grew RSS by ${Math.round(afterRss - before)} MiB`,
      );
    await assertAlive(server);
  });
});

describe('REST limits', () => {
  test('per-user limit: 429 with Retry-After for the noisy user only', async (t) => {
    const noisy = await registerUser(server, 'noisy');
    const quiet = await registerUser(server, 'quiet');
    const statuses = [];
    for (let i = 0; i < 60; i += 1) {
      const res = await api(server, 'GET', '/api/auth/me', { token: noisy.token });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
        assert.ok(Number(res.headers.get('retry-after')) >= 1);
      }
    }
    const limited = statuses.filter((s) => s === 429).length;
    reportFigure(t, 'per-user REST limit', {
      sent: 60,
      ok: statuses.filter((s) => s === 200).length,
      limited,
    });
    assert.equal(statuses.filter((s) => s === 200).length, 40, 'exactly the limit got through');
    assert.equal(limited, 20);
    assert.equal(
      (await api(server, 'GET', '/api/auth/me', { token: quiet.token })).status,
      200,
      'another user is not affected',
    );
  });

  test('failed logins lock the account (even the right password) with 429 and Retry-After', async () => {
    const victim = await registerUser(server, 'brute');
    const results = [];
    for (let i = 0; i < 3; i += 1) {
      results.push(
        (
          await api(server, 'POST', '/api/auth/login', {
            body: { username: victim.username, password: `guess-${i}` },
          })
        ).status,
      );
    }
    assert.deepEqual(results, [401, 401, 401]);
    const locked = await api<Partial<AuthResponse>>(server, 'POST', '/api/auth/login', {
      body: { username: victim.username, password: victim.password },
    });
    assert.equal(locked.status, 429, locked.text);
    assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    assert.equal(locked.json?.token, undefined);
    // The same lock by email.
    assert.equal(
      (
        await api(server, 'POST', '/api/auth/login', {
          body: { email: victim.email, password: victim.password },
        })
      ).status,
      429,
    );
  });

  test('unauthenticated requests are limited per address', async (t) => {
    const anon = await bootServer({ THROTTLE_ANON_LIMIT: '10' });
    servers.push(anon);
    const statuses = [];
    for (let i = 0; i < 15; i += 1) {
      statuses.push(
        (
          await api(anon, 'POST', '/api/auth/login', {
            body: { username: `nobody${i}`, password: 'whatever1' },
          })
        ).status,
      );
    }
    reportFigure(t, 'per-IP anonymous limit', { sent: 15, statuses });
    assert.equal(statuses.filter((s) => s === 429).length, 5, JSON.stringify(statuses));
    assert.ok(statuses.slice(0, 10).every((s) => s === 401));
    await assertAlive(anon);
  });
});

describe('connections per address', () => {
  test('MAX_CONNECTIONS_PER_IP=5: the sixth concurrent socket from one address is refused', async (t) => {
    const opened: ChatSocket[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      try {
        opened.push(await connectSocket(server, alice.token, { timeoutMs: 5_000 }));
      } catch (err) {
        refused.push(err instanceof Error ? err.message : String(err));
      }
    }
    reportFigure(t, 'MAX_CONNECTIONS_PER_IP=5', {
      attempted: 8,
      accepted: opened.length,
      refused: refused.length,
    });
    try {
      assert.equal(
        opened.length,
        5,
        `accepted ${opened.length} sockets with MAX_CONNECTIONS_PER_IP=5`,
      );
      // A closed slot is free again.
      opened.pop()?.close();
      await new Promise((r) => setTimeout(r, 300));
      opened.push(await connectSocket(server, alice.token, { timeoutMs: 5_000 }));
    } finally {
      for (const s of opened) s.close();
    }
  });
});
