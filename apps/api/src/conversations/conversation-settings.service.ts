import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConversationType, ConversationView } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { Broadcaster } from '../core/realtime/broadcaster';
import { ConversationsService } from './conversations.service';
import { MembershipService } from './membership.service';

/** What a push about a conversation needs to know of it. */
export interface PushContext {
  type: ConversationType;
  name: string | null;
  /** Those of the asked members who have it muted now. */
  muted: Set<string>;
}

/** Each member's own settings of a conversation (for now: mute). */
@Injectable()
export class ConversationSettingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly membership: MembershipService,
    private readonly conversations: ConversationsService,
    private readonly broadcaster: Broadcaster,
  ) {}

  /**
   * Mutes until `mutedUntil` (a past instant or null unmutes); the caller's other devices
   * learn it through `conversation:updated`.
   */
  async update(
    conversationId: string,
    userId: string,
    mutedUntil: string | null,
  ): Promise<ConversationView> {
    await this.membership.assertMember(conversationId, userId);
    const until = mutedUntil === null ? null : new Date(mutedUntil);
    await this.db.query(
      `UPDATE conversation_members SET muted_until = CASE WHEN $3::timestamptz > now() THEN $3::timestamptz END
        WHERE conversation_id = $1 AND user_id = $2`,
      [conversationId, userId, until],
    );
    const view = await this.conversations.view(conversationId, userId);
    this.broadcaster.toUsers([userId], 'conversation:updated', view);
    return view;
  }

  async pushContext(conversationId: string, userIds: string[]): Promise<PushContext | null> {
    const [row] = await this.db.query<
      { type: ConversationType; name: string | null; muted: string[] | null }[]
    >(
      `SELECT c.type, c.name,
         (SELECT array_agg(cm.user_id) FROM conversation_members cm
           WHERE cm.conversation_id = c.id AND cm.user_id = ANY($2::uuid[])
             AND cm.muted_until > now()) AS muted
         FROM conversations c WHERE c.id = $1`,
      [conversationId, userIds],
    );
    if (!row) return null;
    return { type: row.type, name: row.name, muted: new Set(row.muted ?? []) };
  }
}
