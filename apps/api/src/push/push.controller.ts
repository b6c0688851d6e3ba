import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { VapidPublicKeyView } from '@chat/shared-dto';
import { PushSubscriptionDto, PushUnsubscribeDto } from '@chat/shared-dto';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { ApiBodyOf } from '../core/swagger/api-schema';
import { PushSubscriptionsService } from './push-subscriptions.service';
import { VapidKeysService } from './vapid-keys.service';

@ApiTags('push')
@ApiBearerAuth()
@Controller('push')
export class PushController {
  constructor(
    private readonly vapid: VapidKeysService,
    private readonly subscriptions: PushSubscriptionsService,
  ) {}

  @Get('vapid-public-key')
  @ApiOperation({ summary: 'The VAPID public key to pass to pushManager.subscribe' })
  @ApiOkResponse({ description: '{ publicKey } (base64url)' })
  async publicKey(): Promise<VapidPublicKeyView> {
    return { publicKey: await this.vapid.publicKey() };
  }

  @Post('subscriptions')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      "Store this session's push subscription (replaces the session's previous one); removed at logout",
  })
  @ApiBodyOf(PushSubscriptionDto)
  @ApiCreatedResponse({ description: 'stored' })
  @ApiBadRequestResponse({
    description: 'not an https URL on a public address, bad keys, or over 10 per user',
  })
  async subscribe(@CurrentUser() me: AuthUser, @Body() body: PushSubscriptionDto): Promise<void> {
    await this.subscriptions.subscribe(me, body);
  }

  @Delete('subscriptions')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove one of your push subscriptions by its endpoint' })
  @ApiBodyOf(PushUnsubscribeDto)
  @ApiNoContentResponse({ description: 'removed (or was not there)' })
  async unsubscribe(@CurrentUser() me: AuthUser, @Body() body: PushUnsubscribeDto): Promise<void> {
    await this.subscriptions.unsubscribe(me.id, body.endpoint);
  }
}
