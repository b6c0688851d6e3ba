// The zero-set-up promise: with no database or Redis configured, the built API boots on the
// embedded PGlite, migrates, answers /health, serves Swagger and the web app, stops cleanly on
// SIGTERM, and finds its data again after a restart.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, startServer, tempDir, waitForHealth, type ServerProcess } from '@chat/test-kit';

interface Health {
  status: string;
  details: Record<string, { status: string }>;
}

interface OpenApi {
  paths: Record<string, unknown>;
  components: { schemas: Record<string, unknown> };
}

const dataDir = tempDir('chat-e2e-embedded-');
const servers: ServerProcess[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

const user = {
  username: `embedded_${Date.now().toString(36)}`,
  email: `e${Date.now()}@example.test`,
  password: 'embedded-pass',
};

test('boots on embedded PGlite with no configuration, migrates and answers /health', async () => {
  const server = await startServer({
    env: { EMBEDDED_DATA_DIR: dataDir, UPLOAD_DIR: tempDir('chat-e2e-up-') },
  });
  servers.push(server);
  assert.ok(await waitForHealth(server.url), `no /health 200; logs:\n${server.logs()}`);
  const health = (await (await fetch(`${server.url}/health`)).json()) as Health;
  assert.equal(health.status, 'ok');
  assert.equal(health.details['database']?.status, 'up');
  assert.match(server.logs(), /embedded PGlite/);
  assert.match(server.logs(), /realtime: in-memory/);
  assert.match(server.logs(), /migrations applied: InitialSchema/);

  const docs = await fetch(`${server.url}/api/docs`);
  assert.equal(docs.status, 200);
  const spec = (await (await fetch(`${server.url}/api/docs-json`)).json()) as OpenApi;
  assert.ok(spec.paths['/api/auth/register'], 'register is documented');
  assert.ok(spec.components.schemas['RegisterDto'], 'DTO schemas come from shared-dto');

  const registered = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  assert.equal(registered.status, 201);

  if (existsSync(join(ROOT, 'dist/apps/web/browser/index.html'))) {
    const page = await fetch(`${server.url}/conversations/deep/link`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<chat-root/);
    assert.ok(page.headers.get('content-security-policy')?.includes("frame-ancestors 'none'"));
  }
  const unknownApi = await fetch(`${server.url}/api/nope`, { headers: { accept: 'text/html' } });
  assert.equal(unknownApi.status, 404, 'API paths never fall back to the web app');

  const ended = await server.stop();
  assert.equal(ended.code, 0, `SIGTERM should exit 0; logs:\n${server.logs().slice(-2000)}`);
});

test('keeps its data across a restart and does not migrate twice', async () => {
  const server = await startServer({
    env: { EMBEDDED_DATA_DIR: dataDir, UPLOAD_DIR: tempDir('chat-e2e-up-') },
  });
  servers.push(server);
  assert.ok(await waitForHealth(server.url), `no /health 200; logs:\n${server.logs()}`);
  assert.match(server.logs(), /schema up to date/);
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  assert.equal(login.status, 200);
  await server.stop();
});

test('refuses to start in production without a real JWT_SECRET, naming the variable', async () => {
  const server = await startServer({
    env: {
      NODE_ENV: 'production',
      JWT_SECRET: 'your_super_secret_jwt_key_change_this_in_production',
      PORT: 'not-a-port',
      EMBEDDED_DATA_DIR: tempDir('chat-e2e-bad-'),
    },
  });
  servers.push(server);
  const { code } = await server.exited;
  assert.equal(code, 1);
  assert.match(server.logs(), /JWT_SECRET must not be the example value/);
  assert.match(server.logs(), /PORT/);
});
