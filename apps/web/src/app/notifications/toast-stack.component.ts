import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { InAppNotifier } from './in-app-notifier.service';

/** The in-app toasts of `InAppNotifier`, top right (full width on a phone). */
@Component({
  selector: 'chat-toast-stack',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="stack" role="region" aria-label="New messages" aria-live="polite">
      @for (toast of notifier.toasts(); track toast.id) {
        <div
          class="toast"
          data-testid="message-toast"
          [attr.data-conversation-id]="toast.conversationId"
        >
          <button type="button" class="open" (click)="notifier.open(toast)">
            <strong>{{ toast.title }}</strong>
            <span>{{ toast.body }}</span>
          </button>
          <button
            type="button"
            class="close"
            aria-label="Dismiss"
            (click)="notifier.dismiss(toast.id)"
          >
            ×
          </button>
        </div>
      }
    </div>
  `,
  styles: `
    .stack {
      position: fixed;
      z-index: 50;
      /* Top right, below the conversation header: clear of the composer and its send button. */
      top: calc(72px + env(safe-area-inset-top));
      right: max(16px, env(safe-area-inset-right));
      display: flex;
      flex-direction: column;
      gap: 8px;
      width: min(360px, calc(100vw - 32px));
      pointer-events: none;
    }
    .toast {
      display: flex;
      align-items: flex-start;
      pointer-events: auto;
      background: var(--surface, #fff);
      color: var(--text, #111);
      border: 1px solid var(--border, rgba(0, 0, 0, 0.12));
      border-radius: 12px;
      box-shadow: 0 8px 24px rgba(0, 0, 0, 0.18);
    }
    .open {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding: 10px 12px;
      text-align: left;
      background: none;
      border: 0;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    .open span {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      opacity: 0.8;
    }
    .close {
      background: none;
      border: 0;
      color: inherit;
      font-size: 20px;
      line-height: 1;
      padding: 8px 12px;
      cursor: pointer;
    }
    @media (max-width: 640px) {
      .stack {
        left: 16px;
        right: 16px;
        width: auto;
      }
    }
  `,
})
export class ToastStackComponent {
  protected readonly notifier = inject(InAppNotifier);
}
