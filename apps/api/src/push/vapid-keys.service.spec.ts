import type { DataSource } from 'typeorm';
import webpush from 'web-push';
import { loadAppConfig } from '../core/config/app-config';
import { VapidKeysService } from './vapid-keys.service';

describe('VapidKeysService with configured keys', () => {
  const unusedDb = {} as DataSource; // configured keys never touch the database

  it('serves the configured pair with the subject', async () => {
    const keys = webpush.generateVAPIDKeys();
    const config = loadAppConfig({
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
    });
    const service = new VapidKeysService(unusedDb, config);
    await service.onApplicationBootstrap();
    expect(await service.details()).toEqual({ subject: 'mailto:ops@example.com', ...keys });
  });

  it('stops the start when the public key is not the private key’s', async () => {
    const a = webpush.generateVAPIDKeys();
    const b = webpush.generateVAPIDKeys();
    const config = loadAppConfig({
      VAPID_PUBLIC_KEY: a.publicKey,
      VAPID_PRIVATE_KEY: b.privateKey,
    });
    await expect(new VapidKeysService(unusedDb, config).onApplicationBootstrap()).rejects.toThrow(
      /does not belong/,
    );
  });
});
