// Attacks the browser would carry out for an attacker: framing (clickjacking), MIME sniffing,
// fingerprinting and downgrade. Every kind of answer (the web app, API JSON, errors, uploads)
// carries the defensive headers; HSTS appears in production, where TLS is terminated in front.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { UploadView } from '@chat/shared-dto';
import { ROOT, type ServerProcess } from '@chat/test-kit';
import { TINY_PNG, api, assertAlive, bootServer, registerUser } from './support';

const servers: ServerProcess[] = [];
after(async () => {
  for (const s of servers) await s.stop();
});
const webBuilt = existsSync(join(ROOT, 'dist/apps/web/browser/index.html'));

/** The answers worth checking, by kind. */
async function sample(server: ServerProcess): Promise<Record<string, Response>> {
  const user = await registerUser(server, 'hdr');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(TINY_PNG)], { type: 'image/png' }), 'a.png');
  const upload = await api<UploadView>(server, 'POST', '/api/upload', {
    token: user.token,
    body: form,
  });
  assert.equal(upload.status, 201, upload.text);
  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  const answers: Record<string, Response> = {
    'API JSON': await get('/api/auth/me', { authorization: `Bearer ${user.token}` }),
    'API 401': await get('/api/auth/me'),
    'API 404': await get('/api/nope'),
    'API 400': await get('/api/users/search', { authorization: `Bearer ${user.token}` }),
    upload: await get(upload.json?.url ?? '/missing-upload-url', {
      authorization: `Bearer ${user.token}`,
    }),
    'upload 404': await get('/api/uploads/..%2f..%2fetc%2fpasswd', {
      authorization: `Bearer ${user.token}`,
    }),
  };
  if (webBuilt) answers['web app'] = await get('/', { accept: 'text/html' });
  return answers;
}

function assertCommonHeaders(label: string, res: Response): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(
    csp,
    /frame-ancestors 'none'/,
    `${label}: CSP without frame-ancestors 'none': ${csp}`,
  );
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${label}: nosniff`);
  assert.equal(res.headers.get('x-powered-by'), null, `${label}: X-Powered-By present`);
  assert.ok(res.headers.get('referrer-policy'), `${label}: Referrer-Policy missing`);
}

describe('security headers', () => {
  test('development mode: CSP, nosniff, Referrer-Policy, no X-Powered-By, no HSTS (no TLS)', async () => {
    const server = await bootServer();
    servers.push(server);
    const answers = await sample(server);
    for (const [label, res] of Object.entries(answers)) {
      if (label === 'upload') continue; // its own test below
      assertCommonHeaders(label, res);
      assert.equal(
        res.headers.get('strict-transport-security'),
        null,
        `${label}: HSTS outside production`,
      );
    }
    assert.match(answers['API JSON'].headers.get('content-type') ?? '', /^application\/json/);
    assert.match(answers['API 404'].headers.get('content-type') ?? '', /^application\/json/);
    if (webBuilt) {
      const csp = answers['web app']?.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline or remote scripts in the app');
      assert.match(csp, /object-src 'none'/);
    }
    await assertAlive(server);
  });

  test('uploads: served as the stored image type with a sandboxing CSP that also forbids framing', async () => {
    const server = servers[0];
    const { upload } = await sample(server);
    assert.equal(upload.status, 200);
    assert.match(upload.headers.get('content-type') ?? '', /^image\/(png|jpeg|gif|webp)$/);
    assert.match(
      upload.headers.get('content-disposition') ?? '',
      /^inline; filename="[0-9a-f]{32}\.(png|jpg|gif|webp)"$/,
    );
    const csp = upload.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /sandbox/);
    assertCommonHeaders('upload', upload);
  });

  test('production mode adds HSTS to every answer', async () => {
    const server = await bootServer({
      NODE_ENV: 'production',
      JWT_SECRET: 'prod-secret-for-header-test-0123456789ab',
      BCRYPT_COST: '4',
    });
    servers.push(server);
    const answers = await sample(server);
    for (const [label, res] of Object.entries(answers)) {
      const hsts = res.headers.get('strict-transport-security') ?? '';
      assert.match(
        hsts,
        /max-age=\d{7,}/,
        `${label}: HSTS missing or short in production: ${hsts}`,
      );
      assert.match(hsts, /includeSubDomains/i);
      if (label !== 'upload') assertCommonHeaders(label, res);
    }
    // Production answers never carry stack traces or framework names.
    const bad = await api(server, 'POST', '/api/auth/login', {
      body: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.status, 400);
    assert.doesNotMatch(bad.text, /at \w+ \(|node_modules|SyntaxError: Unexpected/);
    await assertAlive(server);
  });
});
