import { Injectable } from '@nestjs/common';
import type { ConversationType, ConversationView } from '@chat/shared-dto';
import { DomainEvents } from '../core/events/domain-events';
import { CONVERSATION_CHANGED } from './conversation.events';
import { ConversationsRepository } from './conversations.repository';
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
    private readonly conversationsTable: ConversationsRepository,
    private readonly membership: MembershipService,
    private readonly conversations: ConversationsService,
    private readonly events: DomainEvents,
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
    await this.membership.setMutedUntil(
      conversationId,
      userId,
      mutedUntil === null ? null : new Date(mutedUntil),
    );
    this.events.emit(CONVERSATION_CHANGED, { conversationId, memberIds: [userId] });
    return this.conversations.view(conversationId, userId);
  }

  async pushContext(conversationId: string, userIds: string[]): Promise<PushContext | null> {
    const [conversation] = await this.conversationsTable.findByIds([conversationId]);
    if (!conversation) return null;
    return {
      type: conversation.type,
      name: conversation.name,
      muted: await this.membership.mutedAmong(conversationId, userIds),
    };
  }
}
