import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { AuthUser } from '../core/auth/auth-user';
import { RateLimitedException } from '../core/http/rate-limited.exception';
import { RateLimiterService } from '../core/rate-limit/rate-limiter.service';
import { UPLOAD_RATE_LIMIT } from './upload.constants';

/**
 * Uploads per user, on top of the REST-wide limit: each one costs a full decode and two
 * encodes. A guard runs before the multipart interceptor, so a refused upload is answered
 * (429 with Retry-After) before its body is parsed.
 */
@Injectable()
export class UploadRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiterService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<Request & { user?: AuthUser }>().user;
    if (!user) throw new UnauthorizedException();
    const { limit, windowSeconds } = UPLOAD_RATE_LIMIT;
    const result = await this.limiter.hit(`upload:${user.id}`, limit, windowSeconds);
    if (!result.allowed) {
      throw new RateLimitedException(
        `At most ${limit} uploads per ${windowSeconds / 60} minutes`,
        result.retryAfterSeconds,
      );
    }
    return true;
  }
}
