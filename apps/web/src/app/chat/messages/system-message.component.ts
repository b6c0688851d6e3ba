import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConversationMemberView, SystemEvent } from '@chat/shared-dto';
import { displayName } from '../shared/format';
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

/** A line the server wrote into the conversation (not a chat bubble), centred and muted. */
@Component({
  selector: 'chat-system-message',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p
      class="system"
      data-testid="system-message"
      [attr.data-message-id]="message().id"
      [attr.data-kind]="system()?.kind ?? null"
    >
      @if (system()?.kind === 'encryption-enabled') {
        <span aria-hidden="true">🔒</span>
      }
      {{ text() }}
    </p>
  `,
  styles: `
    .system {
      align-self: center;
      max-width: min(90%, 480px);
      margin: 10px auto;
      padding: 5px 12px;
      border-radius: 999px;
      background: var(--surface-2);
      color: var(--text-muted);
      font-size: 13px;
      line-height: 1.4;
      text-align: center;
      overflow-wrap: anywhere;
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
