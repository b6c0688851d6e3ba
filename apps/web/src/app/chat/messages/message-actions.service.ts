import { Injectable, inject, signal } from '@angular/core';
import type { MessageView, ReactionSummary } from '@chat/shared-dto';
import { ChatSession } from '../chat-session.service';
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

/**
 * Edits, deletes and reactions over the socket. The ack carries the message as it is now and is
 * merged at once (the `message:updated` broadcast that follows is then a no-op by rev).
 */
@Injectable()
export class MessageActions {
  private readonly realtime = inject(RealtimeService);
  private readonly session = inject(ChatSession);
  private readonly failure = signal<string | null>(null);

  /** The last refusal, for the conversation to show. */
  readonly error = this.failure.asReadonly();

  dismissError(): void {
    this.failure.set(null);
  }

  edit(message: Pick<MessageView, 'conversationId' | 'id'>, content: string): Promise<boolean> {
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
    const event = reactionToggle(message.reactions, emoji, selfId);
    return this.run(
      this.realtime.emit(event, {
        conversationId: message.conversationId,
        messageId: message.id,
        emoji,
      }),
    );
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
