import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { RateLimitedException } from '../core/http/rate-limited.exception';
import { RateLimiterService } from '../core/rate-limit/rate-limiter.service';

/**
 * Brute-force brakes: after N failures for one account, or M from one address, within the
 * window, further attempts are refused before the password is even checked.
 */
@Injectable()
export class LoginAttemptsService {
  constructor(
    private readonly limiter: RateLimiterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async assertAllowed(identifier: string, ip: string): Promise<void> {
    const { loginFailuresPerAccount, loginFailuresPerIp } = this.config.limits;
    const [account, address] = await Promise.all([
      this.limiter.peek(accountKey(identifier), loginFailuresPerAccount),
      this.limiter.peek(ipKey(ip), loginFailuresPerIp),
    ]);
    const blocked = [account, address].filter((r) => !r.allowed);
    if (blocked.length > 0) {
      const retryAfter = Math.max(...blocked.map((r) => r.retryAfterSeconds));
      throw new RateLimitedException(
        `Too many failed logins: try again in ${Math.ceil(retryAfter / 60)} minute(s)`,
        retryAfter,
      );
    }
  }

  async recordFailure(identifier: string, ip: string): Promise<void> {
    const { loginFailuresPerAccount, loginFailuresPerIp, loginFailureWindowSeconds } =
      this.config.limits;
    await Promise.all([
      this.limiter.hit(accountKey(identifier), loginFailuresPerAccount, loginFailureWindowSeconds),
      this.limiter.hit(ipKey(ip), loginFailuresPerIp, loginFailureWindowSeconds),
    ]);
  }

  async recordSuccess(identifier: string): Promise<void> {
    await this.limiter.reset(accountKey(identifier));
  }
}

const accountKey = (identifier: string) => `login-fail:account:${identifier.trim().toLowerCase()}`;
const ipKey = (ip: string) => `login-fail:ip:${ip}`;
