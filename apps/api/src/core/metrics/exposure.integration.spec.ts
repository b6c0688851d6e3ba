import { createTestApp, TestApp } from '../../../test/integration/test-app';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('what a production instance exposes (integration)', () => {
  let prod: TestApp;
  let prodWithToken: TestApp;
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production' } });
    prodWithToken = await createTestApp({
      env: { NODE_ENV: 'production', METRICS_TOKEN: TOKEN, SWAGGER_ENABLED: 'true' },
    });
  });
  afterAll(async () => {
    await prod.close();
    await prodWithToken.close();
  });

  it('hides /metrics without METRICS_TOKEN and asks for it as a bearer token when set', async () => {
    await prod.http().get('/metrics').expect(404);
    await prodWithToken.http().get('/metrics').expect(401);
    await prodWithToken.http().get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    const res = await prodWithToken
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200);
    expect(res.text).toMatch(/^chat_sockets_connected /m);
  });

  it('serves Swagger in production only with SWAGGER_ENABLED=true', async () => {
    await prod.http().get('/api/docs-json').expect(404);
    await prod.http().get('/api/docs').expect(404);
    await prodWithToken.http().get('/api/docs-json').expect(200);
  });

  it('does not serve the Socket.IO client bundle', async () => {
    for (const file of ['socket.io.js', 'socket.io.min.js', 'socket.io.esm.min.js']) {
      // Engine.IO takes the path as a (bad) transport request: no script, no version.
      const res = await prod.http().get(`/socket.io/${file}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).not.toMatch(/javascript/);
    }
  });
});

describe('what a development instance exposes (integration)', () => {
  it('keeps /metrics and Swagger open with no configuration', async () => {
    const dev = await createTestApp({ env: { NODE_ENV: 'development' } });
    try {
      await dev.http().get('/metrics').expect(200);
      await dev.http().get('/api/docs-json').expect(200);
    } finally {
      await dev.close();
    }
  });
});
