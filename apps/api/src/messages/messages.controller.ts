import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { MessageView } from '@chat/shared-dto';
import { MessageHistoryQuery, SendMessageBody } from '@chat/shared-dto';
import type { Response } from 'express';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { RateLimitedException } from '../core/http/rate-limited.exception';
import { ApiBodyOf, ApiQueryOf } from '../core/swagger/api-schema';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('conversations/:id/messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly rate: MessageRateLimiter,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'History in ascending seq: the newest page, or before=<seq> (older), or after=<seq> (catch-up)',
  })
  @ApiQueryOf(MessageHistoryQuery)
  @ApiOkResponse({ description: 'message[]' })
  history(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Query() query: MessageHistoryQuery,
  ): Promise<MessageView[]> {
    return this.messages.history(me.id, conversationId, query);
  }

  @Post()
  @ApiOperation({
    summary: 'Send a message over REST: the same storage, ack and broadcast as message:send',
  })
  @ApiBodyOf(SendMessageBody)
  @ApiTooManyRequestsResponse({
    description: 'Over the per-user send rate (shared with message:send); see Retry-After',
  })
  async send(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Body() body: SendMessageBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MessageView> {
    const verdict = await this.rate.take(me.id);
    if (!verdict.allowed) {
      throw new RateLimitedException('Sending too fast: slow down', verdict.retryAfterSeconds);
    }
    const { message, duplicate } = await this.messages.send(me.id, conversationId, body);
    res.status(duplicate ? 200 : 201);
    return message;
  }
}
