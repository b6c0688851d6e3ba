import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import type { Request } from 'express';
import { RateLimitedException } from '../http/rate-limited.exception';

/** Names of the two throttlers configured in `RateLimitModule`. */
export const ANON_THROTTLER = 'anon';
export const USER_THROTTLER = 'user';

/**
 * The REST-wide limits of the contract: unauthenticated requests per client IP (`anon`),
 * authenticated ones per user (`user`). Runs after the JWT guard, which sets `req.user`.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const authenticated = Boolean(props.context.switchToHttp().getRequest<Request>().user);
    if ((props.throttler.name === USER_THROTTLER) !== authenticated) return true;
    return super.handleRequest(props);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as { id?: string } | undefined;
    return user?.id ? `user:${user.id}` : `ip:${String(req.ip)}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedException('Too many requests', Math.max(1, detail.timeToBlockExpire));
  }
}
