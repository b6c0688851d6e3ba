import { sign } from 'jsonwebtoken';
import {
  createTestApp,
  hasTwoInstances,
  TEST_JWT_SECRET,
  TestApp,
  uniqueName,
} from '../../test/integration/test-app';

describe('auth (integration)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('register', () => {
    it('creates an account and answers with the user (email included) and a token', async () => {
      const username = uniqueName('Reg');
      const res = await t
        .http()
        .post('/api/auth/register')
        .send({ username, email: `${username}@Example.TEST`, password: 'correct horse' })
        .expect(201);
      expect(res.body.user).toMatchObject({
        username,
        email: `${username}@example.test`.toLowerCase(),
      });
      expect(res.body.user.passwordHash).toBeUndefined();
      expect(typeof res.body.token).toBe('string');
    });

    it('refuses a username or email taken in another case with 409', async () => {
      const user = await t.register('dup');
      const other = uniqueName('x');
      await t
        .http()
        .post('/api/auth/register')
        .send({
          username: user.user.username.toUpperCase(),
          email: `${other}@example.test`,
          password: 'password1',
        })
        .expect(409);
      await t
        .http()
        .post('/api/auth/register')
        .send({ username: other, email: user.user.email!.toUpperCase(), password: 'password1' })
        .expect(409);
    });

    it('names every bad field in a 400', async () => {
      const res = await t
        .http()
        .post('/api/auth/register')
        .send({ username: 'a b', email: 'not-an-email', password: 'short' })
        .expect(400);
      const message = (res.body.message as string[]).join(' | ');
      expect(message).toMatch(/username/);
      expect(message).toMatch(/email/);
      expect(message).toMatch(/password/);
    });

    it('refuses unknown fields and wrong types with 400, never 500', async () => {
      await t
        .http()
        .post('/api/auth/register')
        .send({ username: 'abc', email: 'a@b.co', password: 'password1', admin: true })
        .expect(400);
      await t
        .http()
        .post('/api/auth/register')
        .send({ username: ['x'], email: {}, password: 12345678 })
        .expect(400);
      await t
        .http()
        .post('/api/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"username":')
        .expect(400);
      await t.http().post('/api/auth/register').send('x'.repeat(200_000)).expect(413);
    });
  });

  describe('login', () => {
    it('logs in by email or by username, case-insensitively', async () => {
      const u = await t.register('login');
      await t
        .http()
        .post('/api/auth/login')
        .send({ email: u.user.email!.toUpperCase(), password: u.password })
        .expect(200);
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ username: u.user.username, password: u.password })
        .expect(200);
      expect(res.body.user.id).toBe(u.user.id);
    });

    it('gives a wrong password and an unknown user the same 401, in similar time', async () => {
      const u = await t.register('enum');
      const time = async (body: object) => {
        const start = process.hrtime.bigint();
        const res = await t.http().post('/api/auth/login').send(body).expect(401);
        return {
          ms: Number(process.hrtime.bigint() - start) / 1e6,
          message: res.body.message as string,
        };
      };
      const wrong: number[] = [];
      const unknown: number[] = [];
      let messages = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const a = await time({ username: u.user.username, password: 'wrong-password' });
        const b = await time({ username: uniqueName('ghost'), password: 'wrong-password' });
        wrong.push(a.ms);
        unknown.push(b.ms);
        messages = new Set([...messages, a.message, b.message]);
      }
      expect([...messages]).toEqual(['Invalid credentials']);
      const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      const ratio = median(wrong) / median(unknown);
      expect(ratio).toBeGreaterThan(0.33);
      expect(ratio).toBeLessThan(3);
    });
  });

  describe('tokens', () => {
    it('answers /me with the caller and 401 without a valid token', async () => {
      const u = await t.register('me');
      const me = await t
        .http()
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${u.token}`)
        .expect(200);
      expect(me.body).toMatchObject({ id: u.user.id, email: u.user.email });
      await t.http().get('/api/auth/me').expect(401);
      await t.http().get('/api/auth/me').set('Authorization', 'Bearer garbage').expect(401);
    });

    it('refuses alg:none, a wrong secret and an expired token', async () => {
      const u = await t.register('forge');
      const [, payloadPart] = u.token.split('.');
      const payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payloadPart}.`;
      const wrongSecret = sign(payload, 'another-secret-another-secret-000000');
      const expired = sign(
        {
          ...payload,
          exp: Math.floor(Date.now() / 1000) - 10,
          iat: Math.floor(Date.now() / 1000) - 100,
        },
        TEST_JWT_SECRET,
      );
      const hs512 = sign(payload, TEST_JWT_SECRET, { algorithm: 'HS512' });
      for (const token of [none, wrongSecret, expired, hs512]) {
        await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
        await expect(t.connect(token)).rejects.toThrow(/Unauthorized/);
      }
    });

    it('logout revokes the token at once on REST and closes its open sockets', async () => {
      const u = await t.register('logout');
      const socket = await t.connect(u.token);
      const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${u.token}`).expect(204);
      expect(await closed).toBe('io server disconnect');
      await t.http().get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(401);
      await expect(t.connect(u.token)).rejects.toThrow(/revoked/);
    });
  });

  describe('sessions', () => {
    it('lists the caller’s sessions and revokes one by id; another user’s id is a 404', async () => {
      const u = await t.register('sess');
      const second = await t
        .http()
        .post('/api/auth/login')
        .set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0')
        .send({ username: u.user.username, password: u.password })
        .expect(200);
      const list = await t
        .http()
        .get('/api/auth/sessions')
        .set('Authorization', `Bearer ${u.token}`)
        .expect(200);
      expect(list.body).toHaveLength(2);
      expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      const other = list.body.find((s: { current: boolean }) => !s.current);
      expect(other.device).toBe('Chrome on Linux');

      const stranger = await t.register('stranger');
      await t
        .http()
        .delete(`/api/auth/sessions/${other.id}`)
        .set('Authorization', `Bearer ${stranger.token}`)
        .expect(404);
      await t
        .http()
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${second.body.token}`)
        .expect(200);

      await t
        .http()
        .delete(`/api/auth/sessions/${other.id}`)
        .set('Authorization', `Bearer ${u.token}`)
        .expect(204);
      await t
        .http()
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${second.body.token}`)
        .expect(401);
      await t
        .http()
        .delete('/api/auth/sessions/not-a-uuid')
        .set('Authorization', `Bearer ${u.token}`)
        .expect(400);
    });

    it('changing the password revokes every other session', async () => {
      const u = await t.register('pw');
      const other = await t
        .http()
        .post('/api/auth/login')
        .send({ username: u.user.username, password: u.password })
        .expect(200);
      await t
        .http()
        .post('/api/auth/password')
        .set('Authorization', `Bearer ${u.token}`)
        .send({ currentPassword: 'not-it', newPassword: 'new-password-1' })
        .expect(401);
      const res = await t
        .http()
        .post('/api/auth/password')
        .set('Authorization', `Bearer ${u.token}`)
        .send({ currentPassword: u.password, newPassword: 'new-password-1' })
        .expect(200);
      expect(res.body.revokedSessions).toBe(1);
      await t
        .http()
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${other.body.token}`)
        .expect(401);
      await t.http().get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(200);
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: u.user.username, password: u.password })
        .expect(401);
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: u.user.username, password: 'new-password-1' })
        .expect(200);
    });
  });

  describe('socket handshake', () => {
    it('accepts auth.token or a Bearer header and refuses a missing token', async () => {
      const u = await t.register('sock');
      const viaAuth = await t.connect(u.token);
      expect(viaAuth.connected).toBe(true);
      const viaHeader = await t.connect('', {
        extraHeaders: { Authorization: `Bearer ${u.token}` },
      });
      expect(viaHeader.connected).toBe(true);
      await expect(t.connect('')).rejects.toThrow(/Missing token/);
    });
  });
});

describe('brute-force and request limits (integration)', () => {
  it('refuses an address after 5 failed logins on one account with 429 and Retry-After, even for the right password', async () => {
    const t = await createTestApp({
      env: { LOGIN_MAX_FAILURES_ACCOUNT: '5', LOGIN_MAX_FAILURES_IP: '100' },
    });
    try {
      const u = await t.register('brute');
      for (let i = 0; i < 5; i++) {
        await t
          .http()
          .post('/api/auth/login')
          .send({ username: u.user.username, password: 'wrong-pass' })
          .expect(401);
      }
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ email: u.user.email, password: u.password })
        .expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('blocks one address after 20 failures across accounts', async () => {
    const t = await createTestApp({
      env: { LOGIN_MAX_FAILURES_ACCOUNT: '100', LOGIN_MAX_FAILURES_IP: '20' },
    });
    try {
      for (let i = 0; i < 20; i++) {
        await t
          .http()
          .post('/api/auth/login')
          .send({ username: uniqueName('nobody'), password: 'wrong-pass' })
          .expect(401);
      }
      const res = await t
        .http()
        .post('/api/auth/login')
        .send({ username: uniqueName('nobody'), password: 'x' })
        .expect(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await t.close();
    }
  });

  it('limits unauthenticated requests per IP and authenticated ones per user', async () => {
    const t = await createTestApp({ env: { THROTTLE_ANON_LIMIT: '3', THROTTLE_USER_LIMIT: '3' } });
    try {
      const u = await t.register('limit');
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'nobody1', password: 'x' })
        .expect(401);
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'nobody2', password: 'x' })
        .expect(401);
      const limited = await t
        .http()
        .post('/api/auth/login')
        .send({ username: 'nobody3', password: 'x' })
        .expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The user's own budget is separate from the address's.
      for (let i = 0; i < 3; i++)
        await t.http().get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(200);
      await t.http().get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(429);
      await t.http().get('/health').expect(200);
    } finally {
      await t.close();
    }
  });
});

(hasTwoInstances() ? describe : describe.skip)(
  'auth across two instances on Redis (integration)',
  () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      a = await createTestApp({ redis: true, env: { THROTTLE_USER_LIMIT: '4' } });
      b = await createTestApp({ redis: true, env: { THROTTLE_USER_LIMIT: '4' } });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it('a logout on one instance closes the session’s socket on the other', async () => {
      const u = await a.register('cross');
      const socketOnB = await b.connect(u.token);
      const closed = new Promise<string>((resolve) => socketOnB.once('disconnect', resolve));
      await a.http().post('/api/auth/logout').set('Authorization', `Bearer ${u.token}`).expect(204);
      expect(await closed).toBe('io server disconnect');
      await b.http().get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(401);
    });

    it('holds the per-user request limit across instances', async () => {
      const u = await a.register('quota');
      const auth = `Bearer ${u.token}`;
      await a.http().get('/api/auth/me').set('Authorization', auth).expect(200);
      await b.http().get('/api/auth/me').set('Authorization', auth).expect(200);
      await a.http().get('/api/auth/me').set('Authorization', auth).expect(200);
      await b.http().get('/api/auth/me').set('Authorization', auth).expect(200);
      await a.http().get('/api/auth/me').set('Authorization', auth).expect(429);
    });

    it('keeps sessions in Redis: a session made on one instance works on the other', async () => {
      const u = await a.register('shared');
      const socket = await b.connect(u.token);
      expect(socket.connected).toBe(true);
      await b.http().get('/api/auth/me').set('Authorization', `Bearer ${u.token}`).expect(200);
    });
  },
);
