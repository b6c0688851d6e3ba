import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { AuthResponse, ChangePasswordDto, LoginDto, RegisterDto } from '@chat/shared-dto';
import { toUserView } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
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

  async login(dto: LoginDto, device: DeviceInfo & { ip: string }): Promise<AuthResponse> {
    const identifier = (dto.email ?? dto.username ?? '').trim();
    const user = await this.users.findForLogin(identifier);
    // Count failures per account (whichever name was used) or per unknown identifier.
    const accountKey = user?.id ?? identifier;
    await this.attempts.assertAllowed(accountKey, device.ip);
    const valid = await this.passwords.verify(dto.password, user?.passwordHash);
    if (!user || !valid) {
      await this.attempts.recordFailure(accountKey, device.ip);
      throw new UnauthorizedException(BAD_CREDENTIALS);
    }
    await this.attempts.recordSuccess(accountKey);
    return this.startSession(user.id, user.username, device, toUserView(user, true));
  }

  async changePassword(
    userId: string,
    currentSessionId: string,
    dto: ChangePasswordDto,
  ): Promise<number> {
    const user = await this.users.findWithPassword(userId);
    if (!user || !(await this.passwords.verify(dto.currentPassword, user.passwordHash))) {
      throw new UnauthorizedException('Current password is wrong');
    }
    await this.users.setPasswordHash(userId, await this.passwords.hash(dto.newPassword));
    return this.sessions.revokeAllExcept(userId, currentSessionId);
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
