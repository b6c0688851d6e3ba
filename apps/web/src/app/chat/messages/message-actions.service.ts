import { Injectable, inject, signal } from '@angular/core';
import type {
  ConversationView,
  EncryptedMessageContent,
  EncryptedPayload,
  EncryptedReactionContent,
  MessageView,
  ReactionSummary,
} from '@chat/shared-dto';
import { ChatSession } from '../chat-session.service';
import { ConversationsStore } from '../conversations/conversations.store';
import { E2eCipherService, reactionContext } from '../e2e/cipher.service';
import { DecryptedStore } from '../e2e/decrypted.store';
import type { EmitResult } from '../realtime/realtime.service';
import { RealtimeService } from '../realtime/realtime.service';

/** Whether a click on a reaction adds the user's own or takes it back. */
export function reactionToggle(
  reactions: readonly ReactionSummary[],
  emoji: string,
  selfId: string | null,
): 'reaction:add' | 'reaction:remove' {
  const mine =
    selfId !== null && reactions.some((r) => r.emoji === emoji && r.userIds.includes(selfId));
  return mine ? 'reaction:remove' : 'reaction:add';
}

/** All of the user's emojis on a message after a click on one (an encrypted reaction set). */
export function toggledEmojis(
  reactions: readonly ReactionSummary[],
  emoji: string,
  selfId: string | null,
): string[] {
  const mine = reactions
    .filter((r) => selfId !== null && r.userIds.includes(selfId))
    .map((r) => r.emoji);
  return mine.includes(emoji) ? mine.filter((e) => e !== emoji) : [...mine, emoji];
}

/**
 * Edits, deletes and reactions over the socket. The ack carries the message as it is now and is
 * merged at once (the `message:updated` broadcast that follows is then a no-op by rev).
 */
@Injectable()
export class MessageActions {
  private readonly realtime = inject(RealtimeService);
  private readonly session = inject(ChatSession);
  private readonly conversations = inject(ConversationsStore);
  private readonly cipher = inject(E2eCipherService);
  private readonly decrypted = inject(DecryptedStore);
  private readonly failure = signal<string | null>(null);

  /** The last refusal, for the conversation to show. */
  readonly error = this.failure.asReadonly();

  dismissError(): void {
    this.failure.set(null);
  }

  edit(message: Pick<MessageView, 'conversationId' | 'id'>, content: string): Promise<boolean> {
    const conversation = this.conversations.get(message.conversationId);
    if (!conversation) return this.unknownConversation();
    if (conversation.encrypted) return this.editEncrypted(conversation, message.id, content);
    return this.run(
      this.realtime.emit('message:edit', {
        conversationId: message.conversationId,
        messageId: message.id,
        content,
      }),
    );
  }

  delete(message: Pick<MessageView, 'conversationId' | 'id'>): Promise<boolean> {
    return this.run(
      this.realtime.emit('message:delete', {
        conversationId: message.conversationId,
        messageId: message.id,
      }),
    );
  }

  /** Adds the user's reaction, or takes it back when it is already there. */
  toggleReaction(
    message: Pick<MessageView, 'conversationId' | 'id'> & {
      reactions: readonly ReactionSummary[];
    },
    emoji: string,
    selfId: string | null,
  ): Promise<boolean> {
    const conversation = this.conversations.get(message.conversationId);
    if (!conversation) return this.unknownConversation();
    if (conversation.encrypted && selfId)
      return this.reactEncrypted(
        conversation,
        message.id,
        toggledEmojis(message.reactions, emoji, selfId),
        selfId,
      );
    const event = reactionToggle(message.reactions, emoji, selfId);
    return this.run(
      this.realtime.emit(event, {
        conversationId: message.conversationId,
        messageId: message.id,
        emoji,
      }),
    );
  }

  /**
   * Before the conversation list arrived it is not known whether the conversation is
   * encrypted: nothing goes out rather than plaintext into an encrypted one.
   */
  private unknownConversation(): Promise<boolean> {
    this.failure.set('This conversation is still loading: try again in a moment.');
    return Promise.resolve(false);
  }

  /** `message:edit` with the new text encrypted for every device (no `content`). */
  private editEncrypted(
    conversation: ConversationView,
    messageId: string,
    text: string,
  ): Promise<boolean> {
    const content: EncryptedMessageContent = { v: 1, text };
    return this.sealed(
      conversation,
      content,
      [`m:${messageId}`],
      (encrypted) =>
        this.realtime.emit('message:edit', {
          conversationId: conversation.id,
          messageId,
          encrypted,
        }),
      (message) => this.decrypted.prime(message, content),
    );
  }

  /** `reaction:set-encrypted` with every emoji of mine on the message (none: an empty set). */
  private reactEncrypted(
    conversation: ConversationView,
    messageId: string,
    emojis: string[],
    selfId: string,
  ): Promise<boolean> {
    const content: EncryptedReactionContent = { v: 1, emojis };
    return this.sealed(
      conversation,
      content,
      reactionContext(messageId, selfId),
      (encrypted) =>
        this.realtime.emit('reaction:set-encrypted', {
          conversationId: conversation.id,
          messageId,
          encrypted,
        }),
      (message) => {
        const mine = message.encryptedReactions?.find((r) => r.userId === selfId);
        if (mine) this.decrypted.primeReactions(message.id, mine, emojis);
      },
    );
  }

  /**
   * Encrypts, emits and merges the ack; a CONFLICT (the device lists moved on) is retried once
   * with fresh lists. Encryption failures are reported like any refusal.
   */
  private async sealed(
    conversation: ConversationView,
    content: EncryptedMessageContent | EncryptedReactionContent,
    context: readonly [string, ...string[]],
    emit: (encrypted: EncryptedPayload) => Promise<EmitResult<{ message: MessageView }>>,
    primed: (message: MessageView) => void,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let encrypted: EncryptedPayload;
      try {
        encrypted = await this.cipher.encryptFor(conversation, content, context, attempt > 0);
      } catch (err) {
        this.failure.set(
          `Could not encrypt: ${err instanceof Error ? err.message : 'try again later'}`,
        );
        return false;
      }
      const ack = await emit(encrypted);
      if (!ack.ok && ack.error.code === 'CONFLICT' && attempt === 0) continue;
      if (ack.ok) primed(ack.message);
      return this.run(Promise.resolve(ack));
    }
    return false;
  }

  private async run(pending: Promise<EmitResult<{ message: MessageView }>>): Promise<boolean> {
    const ack = await pending;
    if (!ack.ok) {
      this.failure.set(
        ack.error.code === 'DISCONNECTED'
          ? 'You are offline: try again when connected.'
          : ack.error.message || 'That did not work.',
      );
      return false;
    }
    this.failure.set(null);
    this.session.applyUpdate(ack.message);
    return true;
  }
}
