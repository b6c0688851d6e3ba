import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
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
import type { Request } from 'express';
import { ApiBodyOf } from '../core/swagger/api-schema';
import { toUserView } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { AuthUser } from '../core/auth/auth-user';
import { AuthService } from './auth.service';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { Public } from '../core/auth/public.decorator';
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
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create an account; answers with the user and a token' })
  @ApiBodyOf(RegisterDto)
  @ApiConflictResponse({ description: 'Username or email already taken' })
  register(@Body() body: RegisterDto, @Req() req: Request): Promise<AuthResponse> {
    return this.auth.register(body, { userAgent: req.get('user-agent'), ip: req.ip });
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Log in by email or username' })
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
  async login(@Body() body: LoginDto, @Req() req: Request): Promise<AuthResponse> {
    const bearer = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    // A token that cannot be checked just means no trusted device, never a failed login.
    const presented = bearer ? await this.tokens.authenticate(bearer).catch(() => null) : null;
    return this.auth.login(
      body,
      { userAgent: req.get('user-agent'), ip: req.ip ?? 'unknown' },
      presented,
    );
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Revoke this token's session at once and close its sockets" })
  @ApiNoContentResponse()
  async logout(@CurrentUser() me: AuthUser): Promise<void> {
    await this.sessions.revoke(me.id, me.sessionId);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The caller, with their email' })
  async me(@CurrentUser() me: AuthUser): Promise<UserView> {
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
