import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** The quoted message of a reply: who wrote it and the start of what they wrote. */
@Component({
  selector: 'chat-reply-quote',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.deleted]': 'deleted()' },
  template: `
    <span class="name" data-testid="reply-quote-sender">{{ senderName() }}</span>
    <span class="excerpt" data-testid="reply-quote-text">{{ excerpt() }}</span>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      min-width: 0;
      padding: 4px 8px;
      border-left: 3px solid var(--quote-accent, var(--accent));
      border-radius: 6px;
      background: color-mix(in srgb, currentColor 8%, transparent);
      text-align: left;
      font-size: 13px;
      line-height: 1.3;
    }
    .name {
      font-weight: 700;
      color: var(--quote-accent, var(--accent));
    }
    .excerpt {
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
      opacity: 0.85;
    }
    :host(.deleted) .excerpt {
      font-style: italic;
    }
  `,
})
export class ReplyQuoteComponent {
  readonly senderName = input.required<string>();
  readonly excerpt = input.required<string>();
  readonly deleted = input(false);
}
