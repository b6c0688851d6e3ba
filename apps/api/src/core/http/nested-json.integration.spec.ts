import { randomUUID } from 'node:crypto';
import type { Ack } from '@chat/shared-dto';
import { createTestApp, TestApp } from '../../../test/integration/test-app';

/** `{"a":{"a":...}}` as raw JSON text, `levels` objects deep. */
const nestedJson = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
}

describe('deeply nested JSON (integration)', () => {
  let t: TestApp;
  let token: string;
  let routes: { method: string; path: string }[];

  beforeAll(async () => {
    t = await createTestApp();
    token = (await t.register('deep')).token;
    // Every JSON body route the API documents, so a route added later is covered too.
    const spec = (await t.http().get('/api/docs-json').expect(200)).body as OpenApi;
    routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content?.['application/json'])
        .map(([method]) => ({ method, path: path.replace(/\{[^}]+\}/g, randomUUID()) })),
    );
  });
  afterAll(() => t.close());

  it('finds the body routes to try', () => {
    const names = routes.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, ':id')}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'post /api/auth/register',
        'post /api/auth/login',
        'post /api/auth/password',
        'patch /api/users/me',
        'post /api/conversations',
        'patch /api/conversations/:id',
        'post /api/conversations/:id/members',
        'post /api/conversations/:id/messages',
      ]),
    );
  });

  it('answers 2,500 levels on every body route with 400, not 500', async () => {
    for (const { method, path } of routes) {
      const res = await t
        .http()
        [method as 'post' | 'patch' | 'put'](path)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(nestedJson(2500));
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({
        route: `${method} ${path}`,
        status: 400,
      });
      expect(String(res.body.message)).toMatch(/deeper than 32 levels/);
    }
  });

  it('draws the line at 32 levels and still reads ordinary bodies', async () => {
    const at = (levels: number) =>
      t
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"username":"x","password":${nestedJson(levels - 1)}}`)
        .expect(400);
    // 32 levels is only a wrong type; 33 is refused for its depth.
    expect(String((await at(32)).body.message)).toMatch(/password must be a string/);
    expect(String((await at(33)).body.message)).toMatch(/deeper than 32 levels/);
    const u = await t.register('shallow');
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: u.user.username, password: u.password })
      .expect(200);
  });

  it('answers a nested socket payload with a BAD_REQUEST ack and keeps the socket', async () => {
    const socket = await t.connect(token);
    let payload: unknown = 1;
    for (let i = 0; i < 2500; i++) payload = { a: payload };
    for (const event of ['message:send', 'message:read', 'typing:start', 'conversation:join']) {
      const ack = (await (
        socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack> }
      ).emitWithAck(event, payload)) as Ack;
      expect({ event, ack }).toEqual({
        event,
        ack: {
          ok: false,
          error: { code: 'BAD_REQUEST', message: expect.stringMatching(/deeper/) },
        },
      });
    }
    expect(socket.connected).toBe(true);
  });
});
