import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IceServersView } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { iceServersFor } from './ice-servers';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('ice-servers')
  @ApiOperation({
    summary: 'STUN and TURN servers for RTCPeerConnection; TURN credentials expire (1 h default)',
  })
  @ApiOkResponse({ description: '{ iceServers: [{ urls, username?, credential? }] }' })
  iceServers(@CurrentUser() user: AuthUser): IceServersView {
    return iceServersFor(this.config.calls, user.id);
  }
}
