import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import type { MessageView, SendMessageBody } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { DomainEvents } from '../core/events/domain-events';
import { UploadsService } from '../upload/uploads.service';
import { MESSAGE_CREATED } from './message.events';
import { toMessageView } from './message.mapper';
import { MessageWriter } from './message-writer';
import { MessagesRepository } from './messages.repository';

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
    private readonly repository: MessagesRepository,
    private readonly membership: MembershipService,
    private readonly writer: MessageWriter,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly uploads?: UploadsService,
  ) {}

  /**
   * Stores a message exactly once and only then tells the members: the writer commits it
   * (group commit, gap-free seq, refused if the sender's removal committed first), a resend of
   * a known clientId resolves to the first message and is neither stored nor announced again.
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
      this.events.emit(MESSAGE_CREATED, {
        message,
        memberIds: [...members],
        originSocketId: exceptSocketId,
        receivedAt,
      });
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
    const rows =
      query.after !== undefined
        ? await this.repository.after(conversationId, query.after, limit)
        : await this.repository.before(
            conversationId,
            query.before ?? Number.MAX_SAFE_INTEGER,
            limit,
          );
    return rows.map(toMessageView);
  }

  /** The message at each conversation's last seq, by conversation (none for an empty one). */
  async lastMessages(
    positions: { conversationId: string; seq: number }[],
  ): Promise<Map<string, MessageView>> {
    const wanted = positions.filter((p) => p.seq > 0);
    if (wanted.length === 0) return new Map();
    const rows = await this.repository.at(wanted);
    return new Map(rows.map((row) => [row.conversation_id, toMessageView(row)]));
  }

  /** The seq of a message of this conversation; 404 when there is no such message. */
  async seqOf(conversationId: string, messageId: string): Promise<number> {
    const seq = await this.repository.seqOf(conversationId, messageId);
    if (seq === null) throw new NotFoundException('Message not found');
    return seq;
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
