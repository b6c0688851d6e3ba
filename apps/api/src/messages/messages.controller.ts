import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { MessageView } from '@chat/shared-dto';
import {
  EditMessageBody,
  EncryptedReactionBody,
  isSingleEmoji,
  MessageHistoryQuery,
  SendMessageBody,
} from '@chat/shared-dto';
import type { Response } from 'express';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { RateLimitedException } from '../core/http/rate-limited.exception';
import { ApiBodyOf, ApiQueryOf } from '../core/swagger/api-schema';
import { MessageLifecycleService } from './message-lifecycle.service';
import { MessageRateLimiter } from './message-rate.limiter';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('conversations/:id/messages')
export class MessagesController {
  constructor(
    private readonly messages: MessagesService,
    private readonly lifecycle: MessageLifecycleService,
    private readonly rate: MessageRateLimiter,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'History in ascending seq: the newest page, or before=<seq> (older), or after=<seq> (catch-up), or around=<seq> (the page centred on it); or changedSince=<rev>: every message changed since, ascending by rev',
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

  @Patch(':messageId')
  @ApiOperation({
    summary:
      'Edit your text message (same limits as a send; in an encrypted conversation `encrypted` instead of `content`); editedAt is set',
  })
  @ApiBodyOf(EditMessageBody)
  edit(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Body() body: EditMessageBody,
  ): Promise<MessageView> {
    return this.lifecycle.edit(me.id, conversationId, messageId, body);
  }

  @Delete(':messageId')
  @ApiOperation({
    summary:
      'Delete a message (yours, or any in a group you own or administer): a tombstone keeps its seq; its file is no longer served',
  })
  delete(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
  ): Promise<MessageView> {
    return this.lifecycle.delete(me.id, conversationId, messageId);
  }

  @Put(':messageId/reactions')
  @ApiOperation({
    summary:
      'End-to-end encrypted conversations: replace your reactions to a message with these envelopes (all your emojis on it, encrypted)',
  })
  @ApiBodyOf(EncryptedReactionBody)
  setEncryptedReaction(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Body() body: EncryptedReactionBody,
  ): Promise<MessageView> {
    return this.lifecycle.setEncryptedReaction(me.id, conversationId, messageId, body.encrypted);
  }

  @Put(':messageId/reactions/:emoji')
  @ApiOperation({ summary: 'React with one emoji (idempotent; at most 20 distinct per message)' })
  addReaction(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Param('emoji') emoji: string,
  ): Promise<MessageView> {
    return this.lifecycle.react(me.id, conversationId, messageId, oneEmoji(emoji), true);
  }

  @Delete(':messageId/reactions/:emoji')
  @ApiOperation({ summary: 'Take your reaction back (idempotent)' })
  removeReaction(
    @CurrentUser() me: AuthUser,
    @Param('id', new ParseUUIDPipe()) conversationId: string,
    @Param('messageId', new ParseUUIDPipe()) messageId: string,
    @Param('emoji') emoji: string,
  ): Promise<MessageView> {
    return this.lifecycle.react(me.id, conversationId, messageId, oneEmoji(emoji), false);
  }
}

function oneEmoji(value: string): string {
  if (!isSingleEmoji(value)) throw new BadRequestException('emoji must be one emoji');
  return value;
}
