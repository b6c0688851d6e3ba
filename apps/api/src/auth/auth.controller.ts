import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthResponse, SessionView, UserView } from '@chat/shared-dto';
import { ChangePasswordDto, LoginDto, RegisterDto } from '@chat/shared-dto';
import type { Request, Response } from 'express';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { ApiBodyOf } from '../core/swagger/api-schema';
import { toUserView } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { AuthUser } from '../core/auth/auth-user';
import { AuthService } from './auth.service';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { Public } from '../core/auth/public.decorator';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';
import { TokenService } from './token.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Login and register also hand the token to the browser's media tags (`session-cookie.ts`). */
  private withSessionCookie(req: Request, res: Response, answer: AuthResponse): AuthResponse {
    const expiresAt = Date.now() + this.config.jwt.expiresInSeconds * 1000;
    setSessionCookie(req, res, answer.token, expiresAt);
    return answer;
  }

  @Public()
  @Post('register')
  @ApiOperation({
    summary: 'Create an account; answers with the user and a token',
    description: 'Also sets the HttpOnly `chat_session` cookie that media tags use for uploads.',
  })
  @ApiBodyOf(RegisterDto)
  @ApiConflictResponse({ description: 'Username or email already taken' })
  async register(
    @Body() body: RegisterDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    const answer = await this.auth.register(body, { userAgent: req.get('user-agent'), ip: req.ip });
    return this.withSessionCookie(req, res, answer);
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Log in by email or username',
    description: 'Also sets the HttpOnly `chat_session` cookie that media tags use for uploads.',
  })
  @ApiBodyOf(LoginDto)
  @ApiUnauthorizedResponse({ description: 'Invalid credentials' })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed logins from this address (for this account, or for any); see Retry-After',
  })
  @ApiHeader({
    name: 'Authorization',
    required: false,
    description:
      "Optional: a live token of the same account marks a trusted device, which other people's failed logins never refuse or slow down",
  })
  async login(
    @Body() body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    const bearer = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    // A token that cannot be checked just means no trusted device, never a failed login.
    const presented = bearer ? await this.tokens.authenticate(bearer).catch(() => null) : null;
    const answer = await this.auth.login(
      body,
      { userAgent: req.get('user-agent'), ip: req.ip ?? 'unknown' },
      presented,
    );
    return this.withSessionCookie(req, res, answer);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Revoke this token's session at once and close its sockets",
    description: 'Also clears the `chat_session` cookie.',
  })
  @ApiNoContentResponse()
  async logout(
    @CurrentUser() me: AuthUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.sessions.revoke(me.id, me.sessionId);
    clearSessionCookie(req, res);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The caller, with their email',
    description:
      'Also (re)sets the `chat_session` cookie for this token: a session restored from storage ' +
      'after the browser dropped the cookie gets it back.',
  })
  async me(
    @CurrentUser() me: AuthUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserView> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (token) setSessionCookie(req, res, token, me.expiresAt);
    return toUserView(await this.users.findByIdOrFail(me.id), true);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's live sessions (device, created, last used)" })
  listSessions(@CurrentUser() me: AuthUser): Promise<SessionView[]> {
    return this.sessions.list(me.id, me.sessionId);
  }

  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke one of your sessions' })
  async revokeSession(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    if (!(await this.sessions.revoke(me.id, id))) throw new NotFoundException('Session not found');
  }

  @Post('password')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change your password; every other session is revoked' })
  @ApiBodyOf(ChangePasswordDto)
  @ApiUnauthorizedResponse({ description: 'Current password is wrong' })
  @ApiTooManyRequestsResponse({
    description: 'Too many wrong current passwords (counted with failed logins); see Retry-After',
  })
  async changePassword(
    @CurrentUser() me: AuthUser,
    @Body() body: ChangePasswordDto,
    @Req() req: Request,
  ): Promise<{ revokedSessions: number }> {
    return {
      revokedSessions: await this.auth.changePassword(
        me.id,
        me.sessionId,
        body,
        req.ip ?? 'unknown',
      ),
    };
  }
}
