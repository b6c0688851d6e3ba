import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { AuthResponse, ChangePasswordDto, LoginDto, RegisterDto } from '@chat/shared-dto';
import { toUserView } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { AuthUser } from '../core/auth/auth-user';
import { LoginAttemptsService } from './login-attempts.service';
import { PasswordsService } from './passwords.service';
import { DeviceInfo, SessionsService } from './sessions.service';
import { TokenService } from './token.service';

/** One message for a wrong password and an unknown account: no user enumeration. */
const BAD_CREDENTIALS = 'Invalid credentials';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokenService,
    private readonly attempts: LoginAttemptsService,
  ) {}

  async register(dto: RegisterDto, device: DeviceInfo): Promise<AuthResponse> {
    const user = await this.users.create({
      username: dto.username.trim(),
      email: dto.email.trim().toLowerCase(),
      passwordHash: await this.passwords.hash(dto.password),
    });
    return this.startSession(user.id, user.username, device, toUserView(user, true));
  }

  /**
   * `presented` is the bearer token sent along, if any: a live session of this very account
   * marks a trusted device, which the failures of others never refuse or slow down.
   */
  async login(
    dto: LoginDto,
    device: DeviceInfo & { ip: string },
    presented?: AuthUser | null,
  ): Promise<AuthResponse> {
    const identifier = (dto.email ?? dto.username ?? '').trim();
    const user = await this.users.findForLogin(identifier);
    // Count failures per account (whichever name was used) or per unknown identifier.
    const accountKey = user?.id ?? identifier;
    const trusted = user && presented?.id === user.id ? presented.sessionId : undefined;
    await this.attempts.beforeAttempt(accountKey, device.ip, trusted);
    const { valid, needsRehash } = await this.passwords.check(dto.password, user?.passwordHash);
    if (!user || !valid) {
      await this.attempts.recordFailure(accountKey, device.ip, trusted);
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    await this.attempts.recordSuccess(accountKey, device.ip, trusted);
    if (needsRehash) {
      await this.users.setPasswordHash(user.id, await this.passwords.hash(dto.password));
    }
    return this.startSession(user.id, user.username, device, toUserView(user, true));
  }

  /** Wrong current passwords count like failed logins of the account from this address. */
  async changePassword(
    userId: string,
    currentSessionId: string,
    dto: ChangePasswordDto,
    ip: string,
  ): Promise<number> {
    await this.attempts.beforeAttempt(userId, ip);
    const user = await this.users.findWithPassword(userId);
    if (!user || !(await this.passwords.verify(dto.currentPassword, user.passwordHash))) {
      await this.attempts.recordFailure(userId, ip);
      throw new UnauthorizedException('Current password is wrong');
    }
    await this.attempts.recordSuccess(userId, ip);
    await this.users.setPasswordHash(userId, await this.passwords.hash(dto.newPassword));
    return this.sessions.revokeAllExcept(userId, currentSessionId);
  }

  /** Deletes the caller's account; a wrong password counts like a failed login. */
  async deleteAccount(userId: string, password: string, ip: string): Promise<void> {
    await this.attempts.beforeAttempt(userId, ip);
    const user = await this.users.findWithPassword(userId);
    if (!user || !(await this.passwords.verify(password, user.passwordHash))) {
      await this.attempts.recordFailure(userId, ip);
      throw new UnauthorizedException('Password is wrong');
    }
    await this.attempts.recordSuccess(userId, ip);
    // Sockets close and push subscriptions go with the sessions, before the data is erased.
    await this.sessions.revokeAllExcept(userId, null);
    await this.users.deleteAccount(userId);
  }

  private async startSession(
    userId: string,
    username: string,
    device: DeviceInfo,
    user: AuthResponse['user'],
  ): Promise<AuthResponse> {
    const session = await this.sessions.create(userId, device);
    return { user, token: await this.tokens.sign(userId, username, session.id) };
  }
}
