import { BadRequestException, Inject, Injectable, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MessageView, SendMessageBody } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { MetricsService } from '../core/metrics/metrics.service';
import { Broadcaster } from '../core/realtime/broadcaster';
import { UploadsService } from '../upload/uploads.service';
import { MESSAGE_CREATED, MessageCreatedEvent } from './message.events';
import { MESSAGE_COLUMNS, MessageRow, toMessageView } from './message.mapper';
import { MessageWriter } from './message-writer';

export interface SendResult {
  message: MessageView;
  /** True when this clientId was already stored: nothing new was written or broadcast. */
  duplicate: boolean;
}

export interface HistoryQuery {
  limit?: number;
  before?: number;
  after?: number;
}

@Injectable()
export class MessagesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly membership: MembershipService,
    private readonly broadcaster: Broadcaster,
    private readonly writer: MessageWriter,
    private readonly metrics: MetricsService,
    private readonly events: EventEmitter2,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly uploads?: UploadsService,
  ) {}

  /**
   * Stores a message exactly once and only then tells the members: the writer commits it
   * (group commit, gap-free seq), a resend of a known clientId resolves to the first message
   * and is neither stored nor broadcast again.
   */
  async send(
    senderId: string,
    conversationId: string,
    body: SendMessageBody,
    exceptSocketId?: string,
  ): Promise<SendResult> {
    const receivedAt = performance.now();
    const members = await this.membership.assertMember(conversationId, senderId);
    const { content, type, fileUrl } = await this.normalise(senderId, body);
    const { row, duplicate } = await this.writer.write({
      conversationId,
      senderId,
      clientId: body.clientId,
      content,
      type,
      fileUrl,
    });
    const message = toMessageView(row);
    if (!duplicate) {
      this.broadcaster.toUsers(members, 'message:new', message, exceptSocketId);
      this.events.emit(MESSAGE_CREATED, {
        message,
        memberIds: [...members],
      } satisfies MessageCreatedEvent);
      this.metrics.messagesStored.inc();
      this.metrics.sendToDeliver.observe((performance.now() - receivedAt) / 1000);
    }
    return { message, duplicate };
  }

  /** A page of history in ascending seq: newest, older than `before`, or newer than `after`. */
  async history(
    userId: string,
    conversationId: string,
    query: HistoryQuery,
  ): Promise<MessageView[]> {
    await this.membership.assertMember(conversationId, userId);
    if (query.before !== undefined && query.after !== undefined) {
      throw new BadRequestException('use either before or after, not both');
    }
    const limit = query.limit ?? DEFAULT_LIMITS.historyPageDefault;
    let rows: MessageRow[];
    if (query.after !== undefined) {
      rows = await this.db.query<MessageRow[]>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq ASC LIMIT $3`,
        [conversationId, query.after, limit],
      );
    } else {
      rows = await this.db.query<MessageRow[]>(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
        [conversationId, query.before ?? Number.MAX_SAFE_INTEGER, limit],
      );
      rows.reverse();
    }
    return rows.map(toMessageView);
  }

  private async normalise(
    senderId: string,
    body: SendMessageBody,
  ): Promise<{ content: string; type: 'text' | 'image'; fileUrl: string | null }> {
    const type = body.type ?? 'text';
    const content = (body.content ?? '').trim();
    const max = this.config.limits.maxMessageLength;
    if (content.length > max)
      throw new BadRequestException(`content must be at most ${max} characters`);
    // PostgreSQL text cannot hold NUL; refusing it here keeps it from failing a whole batch.
    if (content.includes('\u0000'))
      throw new BadRequestException('content must not contain NUL characters');
    if (type === 'text') {
      if (content.length === 0) throw new BadRequestException('content must not be empty');
      if (body.fileUrl) throw new BadRequestException('fileUrl is only for image messages');
      return { content, type, fileUrl: null };
    }
    if (!body.fileUrl) throw new BadRequestException('fileUrl is required for image messages');
    const image = this.uploads ? await this.uploads.findOwnedImage(senderId, body.fileUrl) : null;
    if (!image)
      throw new BadRequestException('fileUrl must be an image you uploaded to this server');
    return { content, type, fileUrl: image.url };
  }
}
