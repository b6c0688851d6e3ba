import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { createHash, createHmac } from 'node:crypto';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';

/**
 * Which pre-hash a stored hash used, by its prefix. bcrypt reads only the first 72 bytes of
 * its input, so `'a'*72+'X'` and `'a'*72+'Y'` (or 128 x '€', 384 bytes) would be one password:
 * the password is first reduced to 32 bytes by HMAC-SHA-256 under PASSWORD_PEPPER (or plain
 * SHA-256 without one), base64 (44 bytes, no NUL that bcrypt would stop at), then bcrypt.
 * A hash without a prefix is the legacy raw bcrypt, still accepted and replaced at the next
 * successful login.
 */
const HMAC_PREFIX = 'hmac$';
const SHA256_PREFIX = 'sha256$';

export interface PasswordCheck {
  valid: boolean;
  /** The hash is not in the current scheme: store `hash(password)` now that it is known. */
  needsRehash: boolean;
}

/** bcrypt with a configurable cost (12 in production) over a pre-hash of the password. */
@Injectable()
export class PasswordsService {
  /** Compared against when the account does not exist, so both paths cost one bcrypt. */
  private readonly decoyHash: string;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.prefix = config.passwordPepper ? HMAC_PREFIX : SHA256_PREFIX;
    this.decoyHash =
      this.prefix +
      bcrypt.hashSync(this.preHash('decoy-password-for-timing', this.prefix), config.bcryptCost);
  }

  async hash(password: string): Promise<string> {
    return (
      this.prefix + (await bcrypt.hash(this.preHash(password, this.prefix), this.config.bcryptCost))
    );
  }

  /** Constant work whether or not there is a hash to compare with. */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    return (await this.check(password, hash)).valid;
  }

  async check(password: string, stored: string | null | undefined): Promise<PasswordCheck> {
    const hash = stored ?? this.decoyHash;
    const prefix = [HMAC_PREFIX, SHA256_PREFIX].find((p) => hash.startsWith(p));
    // A peppered hash cannot be checked without the pepper: it fails like a wrong password.
    if (prefix === HMAC_PREFIX && !this.config.passwordPepper) {
      await bcrypt.compare(password, this.decoyHash.slice(this.prefix.length));
      return { valid: false, needsRehash: false };
    }
    const matches = prefix
      ? await bcrypt.compare(this.preHash(password, prefix), hash.slice(prefix.length))
      : await bcrypt.compare(password, hash);
    const valid = Boolean(stored) && matches;
    return { valid, needsRehash: valid && prefix !== this.prefix };
  }

  private preHash(password: string, prefix: string): string {
    const pepper = this.config.passwordPepper;
    const digest =
      prefix === HMAC_PREFIX && pepper
        ? createHmac('sha256', pepper).update(password, 'utf8')
        : createHash('sha256').update(password, 'utf8');
    return digest.digest('base64');
  }
}
