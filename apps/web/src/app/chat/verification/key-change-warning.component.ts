import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  untracked,
  viewChild,
} from '@angular/core';
import type { ConversationView } from '@chat/shared-dto';
import { AuthStore } from '../../core/auth/auth.store';
import { IconComponent } from '../../shared/icon.component';
import { displayName, otherMember } from '../shared/format';
import { PageVisibility } from '../shared/page-visibility.service';
import { SafetyNumberDialogComponent } from './safety-number-dialog.component';
import { VerificationStore } from './verification.store';

/**
 * Above the messages of an encrypted direct conversation: "their safety number changed" when the
 * other person has a device or a key this viewer had not seen. Checked when the conversation opens,
 * when encryption is switched on, and when the tab comes back into view.
 */
@Component({
  selector: 'chat-key-change-warning',
  imports: [IconComponent, SafetyNumberDialogComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (shown(); as peer) {
      <div class="notice" role="status" data-testid="key-change-warning">
        <chat-icon name="alert" class="mark" />
        <p>
          {{ peer.name }}'s safety number changed: they added a device or reinstalled.
          <button type="button" class="link" data-testid="key-change-verify" (click)="verify()">
            Verify it.
          </button>
        </p>
        <button
          type="button"
          class="icon-btn"
          aria-label="Dismiss"
          data-testid="key-change-dismiss"
          (click)="dismiss()"
        >
          <chat-icon name="close" />
        </button>
      </div>
    }
    <chat-safety-number-dialog />
  `,
  styles: `
    :host {
      display: contents;
    }
    .notice {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 6px 8px 6px 16px;
      border-bottom: 1px solid var(--border);
      background: var(--warning-soft);
      color: var(--text);
      font-size: 14px;
    }
    .mark {
      color: var(--warning);
    }
    p {
      flex: 1;
      min-width: 0;
      margin: 0;
      overflow-wrap: anywhere;
    }
    .link {
      padding: 0;
      border: 0;
      background: none;
      color: var(--accent-hover);
      font: inherit;
      font-weight: 700;
      text-decoration: underline;
      cursor: pointer;
    }
  `,
})
export class KeyChangeWarningComponent {
  readonly conversation = input.required<ConversationView>();

  private readonly store = inject(VerificationStore);
  private readonly selfId = inject(AuthStore).userId;
  private readonly page = inject(PageVisibility);
  private readonly dialog = viewChild.required(SafetyNumberDialogComponent);

  /** The other person of an encrypted direct conversation (not a note to self). */
  private readonly peer = computed(() => {
    const conversation = this.conversation();
    if (conversation.type !== 'direct' || !conversation.encrypted) return null;
    const other = otherMember(conversation, this.selfId());
    return other && other.id !== this.selfId() ? { id: other.id, name: displayName(other) } : null;
  });
  private readonly peerId = computed(() => this.peer()?.id ?? null);
  /** Only its changes re-check, not every new message that replaces the conversation object. */
  private readonly encryptedAt = computed(() => this.conversation().encryptedAt ?? null);
  protected readonly shown = computed(() => {
    const peer = this.peer();
    return peer && this.store.hasWarning(peer.id) ? peer : null;
  });

  constructor() {
    effect(() => {
      const peerId = this.peerId();
      // Tracked so that switching encryption on (or a fresh server copy of it) looks again.
      this.encryptedAt();
      if (peerId && this.page.visible()) untracked(() => void this.store.checkPeer(peerId));
    });
  }

  protected verify(): void {
    const peer = this.peer();
    if (peer) this.dialog().open(peer);
  }

  protected dismiss(): void {
    const peer = this.peer();
    if (peer) this.store.dismissWarning(peer.id);
  }
}
