import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';

/** bcrypt with a configurable cost (12 in production). */
@Injectable()
export class PasswordsService {
  /** Compared against when the account does not exist, so both paths cost one bcrypt. */
  private readonly decoyHash: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.decoyHash = bcrypt.hashSync('decoy-password-for-timing', config.bcryptCost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptCost);
  }

  /** Constant work whether or not there is a hash to compare with. */
  async verify(password: string, hash: string | null | undefined): Promise<boolean> {
    const matches = await bcrypt.compare(password, hash ?? this.decoyHash);
    return Boolean(hash) && matches;
  }
}
