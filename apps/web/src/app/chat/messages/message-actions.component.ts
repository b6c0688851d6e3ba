import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { IconComponent } from '../../shared/icon.component';
import { ReactionPickerComponent } from './reaction-picker.component';

/**
 * Reply, react, edit and delete for one message: a small toolbar shown on hover or focus (or
 * after a long-press on a phone), with the reaction picker and an inline delete confirmation.
 */
@Component({
  selector: 'chat-message-actions',
  imports: [IconComponent, ReactionPickerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'toolbar',
    'aria-label': 'Message actions',
    'data-testid': 'message-actions',
    '[class.busy]': 'picking() || confirming()',
    '[class.start]': 'alignStart()',
    '(keydown.escape)': 'onEscape($event)',
  },
  template: `
    @if (confirming()) {
      <div
        class="confirm"
        role="alertdialog"
        aria-label="Delete this message?"
        data-testid="message-delete-confirm"
      >
        <span>Delete for everyone?</span>
        <button
          type="button"
          class="danger"
          data-testid="message-delete-confirm-button"
          (click)="confirmDelete()"
        >
          Delete
        </button>
        <button type="button" data-testid="message-delete-cancel" (click)="confirming.set(false)">
          Cancel
        </button>
      </div>
    } @else {
      @if (canReact()) {
        <button
          type="button"
          class="act"
          data-testid="message-react"
          aria-label="Add a reaction"
          title="React"
          [attr.aria-expanded]="picking()"
          (click)="picking.set(!picking())"
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="12" cy="12" r="9" />
            <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
          </svg>
        </button>
      }
      @if (canReply()) {
        <button
          type="button"
          class="act"
          data-testid="message-reply"
          aria-label="Reply"
          title="Reply"
          (click)="reply.emit()"
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M9 14 4 9l5-5" />
            <path d="M4 9h11a5 5 0 0 1 5 5v6" />
          </svg>
        </button>
      }
      @if (canEdit()) {
        <button
          type="button"
          class="act"
          data-testid="message-edit"
          aria-label="Edit"
          title="Edit"
          (click)="edit.emit()"
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M12 20h9" />
            <path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4Z" />
          </svg>
        </button>
      }
      @if (canDelete()) {
        <button
          type="button"
          class="act"
          data-testid="message-delete"
          aria-label="Delete"
          title="Delete"
          (click)="confirming.set(true)"
        >
          <chat-icon name="trash" />
        </button>
      }
    }
    @if (picking()) {
      <chat-reaction-picker
        class="picker"
        (picked)="onPicked($event)"
        (closed)="picking.set(false)"
      />
    }
  `,
  styleUrl: './message-actions.component.css',
})
export class MessageActionsComponent {
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  readonly canReply = input(false);
  readonly canReact = input(false);
  readonly canEdit = input(false);
  readonly canDelete = input(false);
  /** Open the picker towards the right (for messages on the left). */
  readonly alignStart = input(false);

  readonly reply = output<void>();
  readonly react = output<string>();
  readonly edit = output<void>();
  readonly remove = output<void>();
  /** The toolbar has nothing open any more (the bubble may hide it again). */
  readonly settled = output<void>();

  protected readonly picking = signal(false);
  protected readonly confirming = signal(false);

  protected onPicked(emoji: string): void {
    this.picking.set(false);
    this.react.emit(emoji);
    this.settled.emit();
  }

  protected confirmDelete(): void {
    this.confirming.set(false);
    this.remove.emit();
    this.settled.emit();
  }

  protected onEscape(event: Event): void {
    if (!this.picking() && !this.confirming()) return;
    event.preventDefault();
    this.picking.set(false);
    this.confirming.set(false);
    this.settled.emit();
  }

  constructor() {
    // Listens to the document only while something is open (every message has a toolbar).
    effect((onCleanup) => {
      if (!this.picking() && !this.confirming()) return;
      const outside = (event: PointerEvent) => {
        if (this.host.nativeElement.contains(event.target as Node)) return;
        this.picking.set(false);
        this.confirming.set(false);
        this.settled.emit();
      };
      document.addEventListener('pointerdown', outside, true);
      onCleanup(() => document.removeEventListener('pointerdown', outside, true));
    });
  }
}
