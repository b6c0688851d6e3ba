import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { AuthUser } from '../core/auth/auth-user';
import { jwtKey } from './jwt-key';
import { allowedSessionCookieToken } from './session-cookie';
import { TokenPayload, TokenService } from './token.service';

/** Bearer tokens (or the session cookie where allowed) on REST: signature and expiry by passport-jwt (HS256 only), then the session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: TokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        allowedSessionCookieToken,
      ]),
      // passport-jwt hands the key to jsonwebtoken, which takes a KeyObject; its types predate that.
      secretOrKeyProvider: (
        _req: unknown,
        _token: unknown,
        done: (err: null, key: Buffer) => void,
      ) => done(null, jwtKey(config.jwt.secret) as unknown as Buffer),
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: TokenPayload): Promise<AuthUser> {
    const user = await this.tokens.authenticatePayload(payload);
    if (!user) throw new UnauthorizedException('Session expired or revoked');
    return user;
  }
}
