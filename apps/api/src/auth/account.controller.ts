import { Body, Controller, Delete, HttpCode, HttpStatus, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DeleteAccountDto } from '@chat/shared-dto';
import type { Request } from 'express';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiBodyOf } from '../core/swagger/api-schema';
import { AuthService } from './auth.service';

/** The account itself, under `users/me`; here because it needs the password and the sessions. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class AccountController {
  constructor(private readonly auth: AuthService) {}

  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete your account: messages stay, shown as "Deleted user"; name, email and avatar are erased, every session and push subscription is revoked, every group left',
  })
  @ApiBodyOf(DeleteAccountDto)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiUnauthorizedResponse({ description: 'Password is wrong' })
  @ApiTooManyRequestsResponse({
    description: 'Too many wrong passwords (counted with failed logins); see Retry-After',
  })
  async deleteMe(
    @CurrentUser() me: AuthUser,
    @Body() body: DeleteAccountDto,
    @Req() req: Request,
  ): Promise<void> {
    await this.auth.deleteAccount(me.id, body.password, req.ip ?? 'unknown');
  }
}
