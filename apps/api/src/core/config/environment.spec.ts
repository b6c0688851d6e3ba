import { loadAppConfig } from './app-config';
import { EnvironmentError, EXAMPLE_JWT_SECRET, validateEnvironment } from './environment';

describe('environment', () => {
  const problemsOf = (raw: Record<string, string>) => {
    try {
      validateEnvironment(raw);
      return [];
    } catch (err) {
      if (err instanceof EnvironmentError) return err.problems;
      throw err;
    }
  };

  it('accepts an empty environment (the embedded default)', () => {
    const config = loadAppConfig({});
    expect(config.database.mode).toBe('embedded');
    expect(config.redis).toBeNull();
    expect(config.port).toBe(3000);
    expect(config.limits.anon).toEqual({ limit: 100, ttlSeconds: 900 });
  });

  it('treats the empty values of a copied .env.example as unset', () => {
    const config = loadAppConfig({
      DB_HOST: '',
      REDIS_HOST: '',
      REDIS_PASSWORD: '',
      JWT_SECRET: EXAMPLE_JWT_SECRET,
    });
    expect(config.database.mode).toBe('embedded');
    expect(config.redis).toBeNull();
  });

  it('gives one clear message per bad variable', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DB_PORT: '99999',
      MAX_FILE_SIZE: '-1',
      JWT_EXPIRES_IN: 'soon',
    });
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT/m);
    expect(problems.join('\n')).toMatch(/^DB_PORT/m);
    expect(problems.join('\n')).toMatch(/^MAX_FILE_SIZE/m);
    expect(problems.join('\n')).toMatch(/^JWT_EXPIRES_IN/m);
  });

  it('refuses production without a secret or with the example one', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET must be set when NODE_ENV=production',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: EXAMPLE_JWT_SECRET })).toEqual([
      'JWT_SECRET must not be the example value when NODE_ENV=production',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(40) })).toEqual([]);
  });

  it('builds URLs from DB_* and REDIS_* and accepts DATABASE_URL / REDIS_URL instead', () => {
    const fromParts = loadAppConfig({
      DB_HOST: 'db',
      DB_USER: 'chat',
      DB_PASSWORD: 'p@ss',
      DB_NAME: 'chatapp',
      REDIS_HOST: 'cache',
      REDIS_PASSWORD: 'sec',
    });
    expect(fromParts.database).toMatchObject({
      mode: 'postgres',
      url: 'postgres://chat:p%40ss@db:5432/chatapp',
    });
    expect(fromParts.redis?.url).toBe('redis://:sec@cache:6379');
    const fromUrls = loadAppConfig({
      DATABASE_URL: 'postgres://x@h/db',
      REDIS_URL: 'redis://r:6379',
    });
    expect(fromUrls.database).toMatchObject({ mode: 'postgres', url: 'postgres://x@h/db' });
    expect(problemsOf({ DATABASE_URL: 'mysql://x', DB_HOST: 'a' })).toHaveLength(2);
  });

  it('uses bcrypt cost 12 in production by default', () => {
    expect(loadAppConfig({ NODE_ENV: 'production', JWT_SECRET: 'b'.repeat(40) }).bcryptCost).toBe(
      12,
    );
  });

  it('turns Swagger off in production unless SWAGGER_ENABLED=true, and reads the hardening knobs', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'b'.repeat(40) };
    expect(loadAppConfig(prod).swaggerEnabled).toBe(false);
    expect(loadAppConfig({ ...prod, SWAGGER_ENABLED: 'true' }).swaggerEnabled).toBe(true);
    expect(loadAppConfig({}).swaggerEnabled).toBe(true);
    expect(loadAppConfig({ SWAGGER_ENABLED: 'false' }).swaggerEnabled).toBe(false);
    const defaults = loadAppConfig({});
    expect(defaults.metricsToken).toBeNull();
    expect(defaults.passwordPepper).toBeNull();
    expect(defaults.limits.socketBudget).toEqual({
      packets: 2500,
      bytes: 4 * 1024 * 1024,
      windowSeconds: 10,
    });
    expect(defaults.limits.loginSlowdownMaxMs).toBe(10_000);
    expect(
      problemsOf({ METRICS_TOKEN: 'short', PASSWORD_PEPPER: 'short', SOCKET_BUDGET_WINDOW: '0' }),
    ).toEqual([
      expect.stringMatching(/SOCKET_BUDGET_WINDOW/),
      expect.stringMatching(/PASSWORD_PEPPER must be at least 32/),
      expect.stringMatching(/METRICS_TOKEN must be at least 16/),
    ]);
  });
});
