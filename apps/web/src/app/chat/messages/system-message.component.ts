import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConversationMemberView, SystemEvent } from '@chat/shared-dto';
import { displayName } from '../shared/format';
import { LockIconComponent } from '../verification/lock-icon.component';
import type { DisplayMessage } from './timeline';

/** What the server's `system` messages say, by kind, given who did it. */
export function systemText(
  message: Pick<DisplayMessage, 'senderId' | 'own' | 'text'>,
  system: SystemEvent | null | undefined,
  members: readonly ConversationMemberView[],
): string {
  const sender = members.find((member) => member.id === message.senderId);
  const who = message.own ? 'You' : sender ? displayName(sender) : null;
  switch (system?.kind) {
    case 'encryption-enabled':
      if (who) return `${who} turned on end-to-end encryption`;
      break;
  }
  return message.text || 'End-to-end encryption was turned on';
}

/**
 * A line the server wrote into the conversation (not a chat bubble), centred and muted, with a
 * drawn lock (an emoji font may lack 🔒).
 */
@Component({
  selector: 'chat-system-message',
  imports: [LockIconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p
      class="system"
      data-testid="system-message"
      [attr.data-message-id]="message().id"
      [attr.data-kind]="system()?.kind ?? null"
    >
      @if (system()?.kind === 'encryption-enabled') {
        <chat-lock-icon class="lock" />
      }
      {{ text() }}
    </p>
  `,
  styles: `
    :host {
      display: flex;
      justify-content: center;
    }
    .system {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      max-width: min(90%, 480px);
      margin: 10px 0;
      padding: 5px 12px;
      border-radius: 999px;
      background: var(--surface-2);
      color: var(--text-muted);
      font-size: 13px;
      line-height: 1.4;
      text-align: center;
      overflow-wrap: anywhere;
    }
    .lock {
      flex: none;
      width: 13px;
      height: 13px;
    }
  `,
})
export class SystemMessageComponent {
  readonly message = input.required<DisplayMessage>();
  readonly system = input<SystemEvent | null>(null);
  readonly members = input<readonly ConversationMemberView[]>([]);

  protected readonly text = computed(() =>
    systemText(this.message(), this.system(), this.members()),
  );
}
