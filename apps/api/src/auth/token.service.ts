import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthUser } from '../core/auth/auth-user';
import { SessionsService } from './sessions.service';

export interface TokenPayload {
  sub: string;
  username: string;
  jti: string;
}

/**
 * Signs and checks access tokens: HS256 only (the verifier accepts no other algorithm, so
 * `alg: none` and key-confusion tokens fail), and a token is good only while its session lives.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsService,
  ) {}

  sign(userId: string, username: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId, username }, { jwtid: sessionId });
  }

  /** The caller behind a raw token, or null for any bad, expired or revoked token. */
  async authenticate(token: string): Promise<AuthUser | null> {
    let payload: TokenPayload;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch {
      return null;
    }
    return this.authenticatePayload(payload);
  }

  /** Checks a signature-verified payload against the live sessions. */
  async authenticatePayload(payload: Partial<TokenPayload>): Promise<AuthUser | null> {
    if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string') return null;
    if (!UUID.test(payload.sub) || !UUID.test(payload.jti)) return null;
    const session = await this.sessions.findLive(payload.jti, payload.sub);
    if (!session) return null;
    return {
      id: payload.sub,
      username: payload.username ?? '',
      sessionId: payload.jti,
      expiresAt: session.expiresAt.getTime(),
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
