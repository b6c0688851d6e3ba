import * as bcrypt from 'bcrypt';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp, uniqueName } from '../../test/integration/test-app';

const login = (t: TestApp, username: string, password: string, from: string, token?: string) => {
  const req = t
    .http()
    .post('/api/auth/login')
    .set('X-Forwarded-For', from)
    .send({ username, password });
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};

async function registerWith(t: TestApp, password: string) {
  const username = uniqueName('pw');
  await t
    .http()
    .post('/api/auth/register')
    .send({ username, email: `${username}@example.test`, password })
    .expect(201);
  return username;
}

describe('passwords past 72 bytes (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("tells 'a'*72+'X' from 'a'*72+'Y'", async () => {
    const username = await registerWith(t, `${'a'.repeat(72)}X`);
    await login(t, username, `${'a'.repeat(72)}Y`, '10.0.0.1').expect(401);
    await login(t, username, `${'a'.repeat(72)}X`, '10.0.0.1').expect(200);
  });

  it("does not let 24 x '€' stand for 128 x '€'", async () => {
    const username = await registerWith(t, '€'.repeat(128));
    await login(t, username, '€'.repeat(24), '10.0.0.2').expect(401);
    await login(t, username, '€'.repeat(128), '10.0.0.2').expect(200);
  });

  it('accepts a legacy bcrypt hash once, then stores the new scheme', async () => {
    const username = await registerWith(t, 'placeholder-password');
    const db = t.app.get(DataSource);
    const password = `${'b'.repeat(72)}old`;
    await db.query('UPDATE users SET password_hash = $1 WHERE username = $2', [
      await bcrypt.hash(password, 4),
      username,
    ]);
    // The legacy hash still truncates: the migration path must not lock anyone out.
    await login(t, username, password, '10.0.0.3').expect(200);
    const [row] = await db.query<{ password_hash: string }[]>(
      'SELECT password_hash FROM users WHERE username = $1',
      [username],
    );
    expect(row.password_hash).toMatch(/^sha256\$\$2[aby]\$/);
    await login(t, username, `${'b'.repeat(72)}new`, '10.0.0.3').expect(401);
    await login(t, username, password, '10.0.0.3').expect(200);
  });
});

describe('failed logins cannot lock the owner out (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        LOGIN_MAX_FAILURES_ACCOUNT: '5',
        LOGIN_MAX_FAILURES_IP: '20',
        LOGIN_SLOWDOWN_MAX_MS: '1000',
      },
    });
  });
  afterAll(() => t.close());

  it('refuses the guessing address, only slows the account elsewhere, never refuses a signed-in device', async () => {
    const victim = await t.register('victim');
    const name = victim.user.username;
    for (let i = 0; i < 5; i++) await login(t, name, 'wrong-pass', '203.0.113.7').expect(401);
    // The attacker's address is refused for this account, even with the right password.
    const refused = await login(t, name, victim.password, '203.0.113.7').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // Another address (the owner) gets in, slowed down but not refused.
    const started = Date.now();
    await login(t, name, victim.password, '198.51.100.9').expect(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);

    // The owner's device behind the attacker's address (a shared NAT) holds a live session.
    for (let i = 0; i < 5; i++) await login(t, name, 'wrong-pass', '203.0.113.7').expect(429);
    await login(t, name, victim.password, '203.0.113.7', victim.token).expect(200);
    // Another account's token is no pass.
    const other = await t.register('other');
    await login(t, name, victim.password, '203.0.113.7', other.token).expect(429);
  });

  it('caps the slow-down at LOGIN_SLOWDOWN_MAX_MS however many addresses failed', async () => {
    const victim = await t.register('spread');
    for (let i = 0; i < 8; i++) {
      await login(t, victim.user.username, 'wrong-pass', `192.0.2.${i + 1}`).expect(401);
    }
    const started = Date.now();
    await login(t, victim.user.username, victim.password, '192.0.2.200').expect(200);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(5000);
  });

  it('still refuses one address after 20 failures across accounts', async () => {
    for (let i = 0; i < 20; i++) {
      await login(t, uniqueName('nobody'), 'wrong-pass', '198.18.0.1').expect(401);
    }
    await login(t, uniqueName('nobody'), 'x', '198.18.0.1').expect(429);
  });
});

describe('wrong current passwords on POST /api/auth/password (integration)', () => {
  it('are limited like failed logins', async () => {
    const t = await createTestApp({
      env: { LOGIN_MAX_FAILURES_ACCOUNT: '5', LOGIN_MAX_FAILURES_IP: '100' },
    });
    try {
      const u = await t.register('chpw');
      const change = (currentPassword: string) =>
        t
          .http()
          .post('/api/auth/password')
          .set('Authorization', `Bearer ${u.token}`)
          .send({ currentPassword, newPassword: 'a-new-password' });
      for (let i = 0; i < 5; i++) await change(`guess-${i}`).expect(401);
      const res = await change(u.password).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // They count on the account's keys: guessing there also brakes logins from here.
      await login(t, u.user.username, u.password, '127.0.0.1').expect(429);
    } finally {
      await t.close();
    }
  });
});
