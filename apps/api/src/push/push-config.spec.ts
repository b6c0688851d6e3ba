import webpush from 'web-push';
import { loadAppConfig } from '../core/config/app-config';
import { EnvironmentError } from '../core/config/environment';

/** The push part of the environment (VAPID_*, PUSH_ALLOW_INSECURE_ENDPOINTS). */
describe('push configuration', () => {
  const problemsOf = (raw: Record<string, string>): string[] => {
    try {
      loadAppConfig(raw);
      return [];
    } catch (err) {
      if (err instanceof EnvironmentError) return err.problems;
      throw err;
    }
  };

  it('defaults to generated keys, a contact subject and secure endpoints only', () => {
    expect(loadAppConfig({}).push).toEqual({
      vapidKeys: null,
      vapidSubject: 'mailto:postmaster@localhost',
      allowInsecureEndpoints: false,
    });
    expect(
      loadAppConfig({ CLIENT_URL: 'http://a.test,https://chat.example.com' }).push.vapidSubject,
    ).toBe('https://chat.example.com');
  });

  it('takes a configured key pair', () => {
    const keys = webpush.generateVAPIDKeys();
    const config = loadAppConfig({
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
    });
    expect(config.push.vapidKeys).toEqual(keys);
  });

  it('refuses half a pair, malformed keys and a subject that is not mailto: or https:', () => {
    const keys = webpush.generateVAPIDKeys();
    expect(problemsOf({ VAPID_PUBLIC_KEY: keys.publicKey })).toEqual([
      'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither',
    ]);
    expect(problemsOf({ VAPID_PUBLIC_KEY: 'abc', VAPID_PRIVATE_KEY: keys.privateKey })[0]).toMatch(
      /VAPID_PUBLIC_KEY/,
    );
    expect(problemsOf({ VAPID_SUBJECT: 'http://example.com' })[0]).toMatch(/VAPID_SUBJECT/);
  });

  it('never allows insecure push endpoints in production', () => {
    expect(
      problemsOf({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        PUSH_ALLOW_INSECURE_ENDPOINTS: 'true',
      }),
    ).toEqual(['PUSH_ALLOW_INSECURE_ENDPOINTS must not be true when NODE_ENV=production']);
    expect(
      loadAppConfig({ PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' }).push.allowInsecureEndpoints,
    ).toBe(true);
  });
});
