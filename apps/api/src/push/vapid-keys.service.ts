import { createECDH } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import webpush from 'web-push';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { VapidDetails } from './push-sender';

interface KeyPair {
  publicKey: string;
  privateKey: string;
}

/**
 * The VAPID key pair every instance signs with: from the environment, or generated at the first
 * start and kept in `push_vapid_keys`. Instances starting together each try to insert theirs;
 * the single-row primary key lets one win and every instance then reads the winner.
 */
@Injectable()
export class VapidKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(VapidKeysService.name);
  private keys?: Promise<KeyPair>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Loads (or creates) the pair at boot, so a bad configured pair stops the start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.pair();
  }

  async publicKey(): Promise<string> {
    return (await this.pair()).publicKey;
  }

  async details(): Promise<VapidDetails> {
    return { subject: this.config.push.vapidSubject, ...(await this.pair()) };
  }

  private pair(): Promise<KeyPair> {
    this.keys ??= this.load().catch((err: Error) => {
      this.keys = undefined;
      throw err;
    });
    return this.keys;
  }

  private async load(): Promise<KeyPair> {
    const configured = this.config.push.vapidKeys;
    if (configured) {
      assertMatchingPair(configured);
      return configured;
    }
    const generated = webpush.generateVAPIDKeys();
    const inserted = await this.db.query<unknown[]>(
      `INSERT INTO push_vapid_keys (id, public_key, private_key) VALUES (1, $1, $2)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [generated.publicKey, generated.privateKey],
    );
    if (inserted.length > 0) this.logger.log('generated a VAPID key pair for Web Push');
    const [row] = await this.db.query<{ public_key: string; private_key: string }[]>(
      'SELECT public_key, private_key FROM push_vapid_keys WHERE id = 1',
    );
    return { publicKey: row.public_key, privateKey: row.private_key };
  }
}

/** The configured public key must be the private key's: a mismatch would fail every push. */
function assertMatchingPair(pair: KeyPair): void {
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(Buffer.from(pair.privateKey, 'base64url'));
  } catch {
    throw new Error('VAPID_PRIVATE_KEY is not a P-256 private key');
  }
  if (ecdh.getPublicKey('base64url') !== pair.publicKey)
    throw new Error('VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY');
}
