import { BadRequestException, Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MessageView, SendMessageBody } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { Broadcaster } from '../core/realtime/broadcaster';
import { UploadsService } from '../upload/uploads.service';
import { returningRows } from '../core/database/returning';
import { MESSAGE_COLUMNS, MessageRow, toMessageView } from './message.mapper';

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly uploads?: UploadsService,
  ) {}

  /**
   * Stores a message exactly once and only then tells the members. The conversation row's
   * `last_seq` is bumped in the same transaction, which serialises concurrent senders and keeps
   * `seq` gap-free; a clientId seen before rolls the bump back and returns the first message.
   */
  async send(senderId: string, conversationId: string, body: SendMessageBody, exceptSocketId?: string): Promise<SendResult> {
    const members = await this.membership.assertMember(conversationId, senderId);
    const existing = await this.findByClientId(senderId, body.clientId);
    if (existing) return this.asDuplicate(existing, conversationId);

    const { content, type, fileUrl } = await this.normalise(senderId, body);
    const stored = await this.db.transaction(async (tx) => {
      const [{ last_seq: seq }] = returningRows<{ last_seq: string }>(
        await tx.query(
          `UPDATE conversations SET last_seq = last_seq + 1, last_message_at = now() WHERE id = $1 RETURNING last_seq`,
          [conversationId],
        ),
      );
      const inserted = await tx.query<MessageRow[]>(
        `INSERT INTO messages (conversation_id, seq, sender_id, content, message_type, file_url, client_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (sender_id, client_id) DO NOTHING
         RETURNING ${MESSAGE_COLUMNS}`,
        [conversationId, seq, senderId, content, type, fileUrl, body.clientId],
      );
      if (inserted.length === 0) {
        // A concurrent send with the same clientId won: undo our seq bump.
        throw new DuplicateSend();
      }
      // Sending implies having read (and received) everything up to one's own message.
      await tx.query(
        `UPDATE conversation_members
            SET last_read_seq = GREATEST(last_read_seq, $3), last_delivered_seq = GREATEST(last_delivered_seq, $3)
          WHERE conversation_id = $1 AND user_id = $2`,
        [conversationId, senderId, seq],
      );
      return inserted[0];
    }).catch(async (err: unknown) => {
      if (!(err instanceof DuplicateSend)) throw err;
      return null;
    });

    if (!stored) {
      const first = await this.findByClientId(senderId, body.clientId);
      if (!first) throw new Error('duplicate send without a stored message');
      return this.asDuplicate(first, conversationId);
    }
    const message = toMessageView(stored);
    this.broadcaster.toUsers(members, 'message:new', message, exceptSocketId);
    return { message, duplicate: false };
  }

  /** A page of history in ascending seq: newest, older than `before`, or newer than `after`. */
  async history(userId: string, conversationId: string, query: HistoryQuery): Promise<MessageView[]> {
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

  private async findByClientId(senderId: string, clientId: string): Promise<MessageRow | null> {
    const [row] = await this.db.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE sender_id = $1 AND client_id = $2`,
      [senderId, clientId],
    );
    return row ?? null;
  }

  private asDuplicate(row: MessageRow, conversationId: string): SendResult {
    if (row.conversation_id !== conversationId) {
      throw new BadRequestException('clientId was already used for another conversation');
    }
    return { message: toMessageView(row), duplicate: true };
  }

  private async normalise(
    senderId: string,
    body: SendMessageBody,
  ): Promise<{ content: string; type: 'text' | 'image'; fileUrl: string | null }> {
    const type = body.type ?? 'text';
    const content = (body.content ?? '').trim();
    const max = this.config.limits.maxMessageLength;
    if (content.length > max) throw new BadRequestException(`content must be at most ${max} characters`);
    if (type === 'text') {
      if (content.length === 0) throw new BadRequestException('content must not be empty');
      if (body.fileUrl) throw new BadRequestException('fileUrl is only for image messages');
      return { content, type, fileUrl: null };
    }
    if (!body.fileUrl) throw new BadRequestException('fileUrl is required for image messages');
    const image = this.uploads ? await this.uploads.findOwnedImage(senderId, body.fileUrl) : null;
    if (!image) throw new BadRequestException('fileUrl must be an image you uploaded to this server');
    return { content, type, fileUrl: image.url };
  }
}

class DuplicateSend extends Error {}
