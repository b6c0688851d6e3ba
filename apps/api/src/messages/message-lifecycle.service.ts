import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EncryptedPayload, MessageView } from '@chat/shared-dto';
import { MAX_REACTIONS_PER_MESSAGE } from '@chat/shared-dto';
import { DataSource, EntityManager } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { DomainEvents } from '../core/events/domain-events';
import { KeysService } from '../keys/keys.service';
import { textContent } from './message-content';
import { MESSAGE_UPDATED, MessageUpdatedEvent } from './message.events';
import { MessageRow } from './message.mapper';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';

type Change = MessageUpdatedEvent['change'];

interface Outcome {
  /** false: the request changed nothing (an idempotent repeat): no rev, no event. */
  changed: boolean;
  releasedFileUrl?: string;
}

/**
 * Edits, deletes and reactions. Each runs in one transaction that first takes the
 * conversation's row lock (as sends do), checks the rules on the locked message, stamps it
 * with the conversation's next `rev`, and after commit announces `message.updated`, so that
 * every device, also one that was away (`changedSince`), sees each change exactly once.
 */
@Injectable()
export class MessageLifecycleService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: MessagesRepository,
    private readonly messages: MessagesService,
    private readonly membership: MembershipService,
    private readonly events: DomainEvents,
    private readonly keys: KeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Sender only, text only, not deleted; the same limits as a send; not to someone who blocked
   * them. In an end-to-end encrypted conversation the edit is new envelopes instead of content.
   */
  async edit(
    userId: string,
    conversationId: string,
    messageId: string,
    change: { content?: string; encrypted?: EncryptedPayload },
  ): Promise<MessageView> {
    const members = await this.membership.assertMember(conversationId, userId);
    await this.messages.assertNotBarred(conversationId, userId, members);
    if (change.encrypted) {
      if (change.content !== undefined)
        throw new BadRequestException('Send content or encrypted, not both');
      return this.editEncrypted(userId, conversationId, messageId, members, change.encrypted);
    }
    if (change.content === undefined) throw new BadRequestException('content is required');
    const content = textContent(change.content, this.config.limits.maxMessageLength);
    const mentions = await this.messages.mentionsIn(content, members, userId);
    return this.change('edited', userId, conversationId, messageId, async (tx, message, c) => {
      assertEditable(userId, message);
      if (c.encrypted || message.encrypted)
        throw new BadRequestException(
          'This conversation is end-to-end encrypted: send the edit encrypted',
        );
      if (message.content === content) return { changed: false };
      const rev = await this.repository.nextRev(tx, conversationId);
      await this.repository.edit(tx, messageId, rev, content, mentions);
      return { changed: true };
    });
  }

  private async editEncrypted(
    userId: string,
    conversationId: string,
    messageId: string,
    members: Set<string>,
    encrypted: EncryptedPayload,
  ): Promise<MessageView> {
    await this.keys.assertCoversDevices(members, userId, encrypted);
    return this.change('edited', userId, conversationId, messageId, async (tx, message) => {
      assertEditable(userId, message);
      if (!message.encrypted) throw new BadRequestException('This message is not encrypted');
      const rev = await this.repository.nextRev(tx, conversationId);
      await this.repository.editEncrypted(tx, messageId, rev, encrypted);
      return { changed: true };
    });
  }

  /** The sender, or a group's owner or admin. The tombstone keeps its seq. */
  async delete(userId: string, conversationId: string, messageId: string): Promise<MessageView> {
    await this.membership.assertMember(conversationId, userId);
    const roles = await this.membership.roles(conversationId);
    return this.change('deleted', userId, conversationId, messageId, async (tx, message) => {
      if (message.deleted_at) return { changed: false };
      const role = roles.get(userId);
      const moderator = role === 'owner' || role === 'admin';
      if (message.sender_id !== userId && !moderator)
        throw new ForbiddenException('Only the sender or a group admin can delete a message');
      const rev = await this.repository.nextRev(tx, conversationId);
      await this.repository.tombstone(tx, messageId, rev);
      const fileUrl = message.file_url;
      const shared = fileUrl ? await this.repository.fileInUse(tx, fileUrl, messageId) : false;
      return { changed: true, releasedFileUrl: fileUrl && !shared ? fileUrl : undefined };
    });
  }

  /** Idempotent; one emoji; at most 20 distinct per message; not from someone the peer blocked. */
  async react(
    userId: string,
    conversationId: string,
    messageId: string,
    emoji: string,
    add: boolean,
  ): Promise<MessageView> {
    const members = await this.membership.assertMember(conversationId, userId);
    await this.messages.assertNotBarred(conversationId, userId, members);
    return this.change('reactions', userId, conversationId, messageId, async (tx, message, c) => {
      if (message.deleted_at) throw new BadRequestException('The message was deleted');
      if (c.encrypted)
        throw new BadRequestException(
          'This conversation is end-to-end encrypted: send reactions encrypted',
        );
      if (add) {
        const present = await this.repository.emojiOn(tx, messageId);
        if (!present.includes(emoji) && present.length >= MAX_REACTIONS_PER_MESSAGE)
          throw new BadRequestException(
            `A message carries at most ${MAX_REACTIONS_PER_MESSAGE} different reactions`,
          );
      }
      const changed = add
        ? await this.repository.addReaction(tx, messageId, userId, emoji)
        : await this.repository.removeReaction(tx, messageId, userId, emoji);
      if (changed)
        await this.repository.stamp(
          tx,
          messageId,
          await this.repository.nextRev(tx, conversationId),
        );
      return { changed };
    });
  }

  /**
   * Replaces the caller's reactions to a message of an encrypted conversation with envelopes
   * of all their emojis on it, encrypted for every device; the server never learns which.
   */
  async setEncryptedReaction(
    userId: string,
    conversationId: string,
    messageId: string,
    encrypted: EncryptedPayload,
  ): Promise<MessageView> {
    const members = await this.membership.assertMember(conversationId, userId);
    await this.messages.assertNotBarred(conversationId, userId, members);
    await this.keys.assertCoversDevices(members, userId, encrypted);
    return this.change('reactions', userId, conversationId, messageId, async (tx, message) => {
      if (message.deleted_at) throw new BadRequestException('The message was deleted');
      if (!message.encrypted) throw new BadRequestException('This message is not encrypted');
      await this.repository.setEncryptedReaction(tx, messageId, userId, encrypted);
      await this.repository.stamp(tx, messageId, await this.repository.nextRev(tx, conversationId));
      return { changed: true };
    });
  }

  private async change(
    kind: Change,
    userId: string,
    conversationId: string,
    messageId: string,
    apply: (
      tx: EntityManager,
      message: MessageRow,
      conversation: { encrypted: boolean },
    ) => Promise<Outcome>,
  ): Promise<MessageView> {
    const outcome = await this.db.transaction(async (tx) => {
      const conversation = await this.repository.lockConversation(tx, conversationId);
      const message = await this.repository.findOne(conversationId, messageId, tx, true);
      if (!conversation || !message) throw new NotFoundException('Message not found');
      return apply(tx, message, conversation);
    });
    const row = await this.repository.findOne(conversationId, messageId);
    if (!row) throw new NotFoundException('Message not found');
    const [message] = await this.messages.views([row]);
    if (outcome.changed) {
      // Waited for: once a delete answers, its file is gone and no longer served.
      await this.events.emitAndWait(MESSAGE_UPDATED, {
        message,
        change: kind,
        releasedFileUrl: outcome.releasedFileUrl,
      });
    }
    return message;
  }
}

function assertEditable(userId: string, message: MessageRow): void {
  if (message.sender_id !== userId)
    throw new ForbiddenException('Only the sender can edit a message');
  if (message.deleted_at) throw new BadRequestException('The message was deleted');
  if (message.message_type !== 'text')
    throw new BadRequestException('Only text messages can be edited');
}
