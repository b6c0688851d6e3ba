import {
  ExecutionContext,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { isServiceUnavailable } from '../core/http/unavailable';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../core/auth/public.decorator';
import { ACCEPTS_SESSION_COOKIE } from '../core/auth/session-cookie-auth.decorator';
import { CookieAwareRequest, SESSION_COOKIE_ALLOWED } from './session-cookie';

/**
 * Global guard: every route needs a live session unless it is `@Public()`; a bearer token, or
 * on `@SessionCookieAuth()` routes the session cookie.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    if (
      this.reflector.getAllAndOverride<boolean>(ACCEPTS_SESSION_COOKIE, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      context.switchToHttp().getRequest<CookieAwareRequest>()[SESSION_COOKIE_ALLOWED] = true;
    }
    return super.canActivate(context);
  }

  override handleRequest<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    // The session store could not be asked: the token may be fine, so no 401 (a 401 logs
    // the client out); 503 says try again.
    if (err && !(err instanceof UnauthorizedException)) {
      if (isServiceUnavailable(err))
        throw new ServiceUnavailableException('Session store unavailable, try again');
      throw err;
    }
    if (err || !user) {
      const reason =
        info instanceof Error && info.name === 'TokenExpiredError'
          ? 'Token expired'
          : err instanceof UnauthorizedException
            ? err.message
            : 'Missing or invalid token';
      throw new UnauthorizedException(reason);
    }
    return user;
  }
}
