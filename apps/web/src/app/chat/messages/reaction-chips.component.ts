import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { DisplayReaction } from './timeline';

/** Reactions under a bubble: emoji and count, the viewer's own highlighted; a click toggles. */
@Component({
  selector: 'chat-reaction-chips',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'group', 'aria-label': 'Reactions', 'data-testid': 'reaction-chips' },
  template: `
    @for (reaction of reactions(); track reaction.emoji) {
      <button
        type="button"
        class="chip"
        data-testid="reaction-chip"
        [class.mine]="reaction.mine"
        [attr.data-emoji]="reaction.emoji"
        [attr.data-mine]="reaction.mine"
        [attr.aria-pressed]="reaction.mine"
        [attr.aria-label]="
          reaction.emoji +
          ' ' +
          reaction.count +
          ', ' +
          reaction.who +
          (reaction.mine ? '. Remove your reaction' : '. React too')
        "
        [title]="reaction.who"
        [disabled]="disabled()"
        (click)="toggled.emit(reaction.emoji)"
      >
        <span class="emoji" aria-hidden="true">{{ reaction.emoji }}</span>
        <span class="count" data-testid="reaction-count">{{ reaction.count }}</span>
      </button>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      margin-top: 3px;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      height: 26px;
      padding: 0 8px;
      border: 1px solid var(--border);
      border-radius: 999px;
      background: var(--surface);
      color: var(--text);
      font-size: 12px;
      font-weight: 600;
      line-height: 1;
    }
    .chip:hover:not(:disabled) {
      border-color: var(--accent);
    }
    .chip.mine {
      border-color: var(--accent);
      background: color-mix(in srgb, var(--accent) 16%, var(--surface));
      color: var(--accent);
    }
    .emoji {
      font-size: 14px;
    }
  `,
})
export class ReactionChipsComponent {
  readonly reactions = input.required<readonly DisplayReaction[]>();
  readonly disabled = input(false);
  readonly toggled = output<string>();
}
