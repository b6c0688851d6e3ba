import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { RateLimitedException } from '../core/http/rate-limited.exception';
import { RateLimiterService } from '../core/rate-limit/rate-limiter.service';

/** The first delay past the account's failure allowance; it doubles with each failure. */
const SLOWDOWN_BASE_MS = 250;

/**
 * Password-guessing brakes, after OWASP's authentication cheat sheet. Within the window:
 * - one address that failed LOGIN_MAX_FAILURES_ACCOUNT times on one account is refused (429)
 *   for that account, and one that failed LOGIN_MAX_FAILURES_IP times on any is refused for all;
 * - an account that failed LOGIN_MAX_FAILURES_ACCOUNT times from anywhere is only slowed
 *   down: every later attempt waits 250 ms, doubling per failure, capped at
 *   LOGIN_SLOWDOWN_MAX_MS, before its password is checked. Nobody can lock a victim out by
 *   failing on purpose, and distributed guessing still pays per address and in time;
 * - a device that holds a live session of the account (its token on the login request) is
 *   neither refused nor slowed by the failures of others; only its own count against it.
 * Failures of the current password on `POST /api/auth/password` count on the same keys.
 */
@Injectable()
export class LoginAttemptsService {
  constructor(
    private readonly limiter: RateLimiterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Refuses (429) or delays an attempt on `account` from `ip`; `trustedSession` is the id of
   * a live session of that account presented with the attempt, if any.
   */
  async beforeAttempt(account: string, ip: string, trustedSession?: string): Promise<void> {
    const { loginFailuresPerAccount: perAccount, loginFailuresPerIp: perIp } = this.config.limits;
    if (trustedSession) {
      this.assertWithin([await this.limiter.peek(sessionKey(trustedSession), perAccount)]);
      return;
    }
    const [pair, address, total] = await Promise.all([
      this.limiter.peek(pairKey(account, ip), perAccount),
      this.limiter.peek(ipKey(ip), perIp),
      this.limiter.peek(accountKey(account), perAccount),
    ]);
    this.assertWithin([pair, address]);
    if (total.allowed || perAccount <= 0) return;
    const beyond = total.count - perAccount;
    await sleep(this.slowdownMs(beyond));
  }

  async recordFailure(account: string, ip: string, trustedSession?: string): Promise<void> {
    const { loginFailuresPerAccount: perAccount, loginFailuresPerIp: perIp } = this.config.limits;
    const window = this.config.limits.loginFailureWindowSeconds;
    // The account's total has no cap of its own (it only slows): count it like the pair.
    await Promise.all([
      this.limiter.hit(accountKey(account), perAccount, window),
      trustedSession
        ? this.limiter.hit(sessionKey(trustedSession), perAccount, window)
        : Promise.all([
            this.limiter.hit(pairKey(account, ip), perAccount, window),
            this.limiter.hit(ipKey(ip), perIp, window),
          ]),
    ]);
  }

  /**
   * The right password: the account's counts start afresh (OWASP's reset on success), and so
   * do this address's, unless a trusted device logged in from it (an address shared with the
   * guesser, behind one NAT, stays refused to everyone else).
   */
  async recordSuccess(account: string, ip: string, trustedSession?: string): Promise<void> {
    await Promise.all([
      this.limiter.reset(accountKey(account)),
      this.limiter.reset(trustedSession ? sessionKey(trustedSession) : pairKey(account, ip)),
    ]);
  }

  /** 250 ms after the first failure past the allowance, doubling, capped. */
  slowdownMs(failuresBeyondAllowance: number): number {
    const cap = this.config.limits.loginSlowdownMaxMs;
    const exponent = Math.min(Math.max(failuresBeyondAllowance, 0), 20);
    return Math.min(cap, SLOWDOWN_BASE_MS * 2 ** exponent);
  }

  private assertWithin(results: { allowed: boolean; retryAfterSeconds: number }[]): void {
    const blocked = results.filter((r) => !r.allowed);
    if (blocked.length === 0) return;
    const retryAfter = Math.max(...blocked.map((r) => r.retryAfterSeconds));
    throw new RateLimitedException(
      `Too many failed attempts: try again in ${Math.ceil(retryAfter / 60)} minute(s)`,
      retryAfter,
    );
  }
}

const normal = (account: string) => account.trim().toLowerCase();
const accountKey = (account: string) => `login-fail:account:${normal(account)}`;
const pairKey = (account: string, ip: string) => `login-fail:pair:${normal(account)}:${ip}`;
const ipKey = (ip: string) => `login-fail:ip:${ip}`;
const sessionKey = (sessionId: string) => `login-fail:session:${sessionId}`;
