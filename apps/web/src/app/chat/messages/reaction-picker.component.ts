import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  afterNextRender,
  computed,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { QUICK_REACTIONS, searchEmoji } from './emoji-list';

/** The common reactions one tap away, and a search over the bundled emoji list. */
@Component({
  selector: 'chat-reaction-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'dialog',
    'aria-label': 'Add a reaction',
    'data-testid': 'reaction-picker',
    '(keydown.escape)': 'onEscape($event)',
  },
  template: `
    <div class="quick" role="group" aria-label="Common reactions">
      @for (emoji of quick; track emoji; let first = $first) {
        <button
          #quickButton
          type="button"
          class="emoji"
          data-testid="reaction-quick"
          [attr.data-emoji]="emoji"
          [attr.aria-label]="'React with ' + emoji"
          (click)="picked.emit(emoji)"
        >
          {{ emoji }}
        </button>
      }
    </div>
    <input
      class="search"
      type="search"
      placeholder="Search emoji"
      aria-label="Search emoji"
      autocomplete="off"
      spellcheck="false"
      data-testid="reaction-search"
      [value]="query()"
      (input)="onQuery($event)"
      (keydown.enter)="pickFirst($event)"
    />
    <div class="grid" role="group" aria-label="Emoji" data-testid="reaction-results">
      @for (entry of results(); track entry.emoji) {
        <button
          type="button"
          class="emoji"
          data-testid="reaction-option"
          [attr.data-emoji]="entry.emoji"
          [title]="entry.keywords.split(' ').slice(0, 3).join(' ')"
          [attr.aria-label]="entry.emoji + ' ' + entry.keywords"
          (click)="picked.emit(entry.emoji)"
        >
          {{ entry.emoji }}
        </button>
      } @empty {
        <p class="none">No emoji match “{{ query().trim() }}”.</p>
      }
    </div>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 8px;
      width: min(300px, calc(100vw - 24px));
      padding: 10px;
      border: 1px solid var(--border);
      border-radius: var(--radius-lg);
      background: var(--surface);
      color: var(--text);
      box-shadow: var(--shadow-lg, 0 8px 24px rgba(0, 0, 0, 0.18));
    }
    .quick {
      display: flex;
      justify-content: space-between;
    }
    .emoji {
      display: grid;
      place-items: center;
      width: 34px;
      height: 34px;
      padding: 0;
      border: 0;
      border-radius: 8px;
      background: none;
      font-size: 20px;
      line-height: 1;
    }
    .emoji:hover,
    .emoji:focus-visible {
      background: var(--surface-3);
    }
    .search {
      width: 100%;
      padding: 6px 10px;
      border: 1px solid var(--border);
      border-radius: 8px;
      background: var(--surface-2);
      color: var(--text);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, 34px);
      justify-content: space-between;
      gap: 2px;
      max-height: 168px;
      overflow-y: auto;
    }
    .none {
      grid-column: 1 / -1;
      margin: 4px 0;
      font-size: 13px;
      color: var(--text-faint);
    }
  `,
})
export class ReactionPickerComponent {
  readonly picked = output<string>();
  readonly closed = output<void>();

  protected readonly quick = QUICK_REACTIONS;
  protected readonly query = signal('');
  protected readonly results = computed(() => searchEmoji(this.query()));
  private readonly firstQuick = viewChild<ElementRef<HTMLButtonElement>>('quickButton');

  constructor() {
    // Keyboard users land inside the picker; a phone does not pop its keyboard for a button.
    afterNextRender(() => this.firstQuick()?.nativeElement.focus());
  }

  protected onQuery(event: Event): void {
    this.query.set((event.target as HTMLInputElement).value);
  }

  protected pickFirst(event: Event): void {
    event.preventDefault();
    const first = this.results()[0];
    if (first) this.picked.emit(first.emoji);
  }

  protected onEscape(event: Event): void {
    event.preventDefault();
    event.stopPropagation();
    this.closed.emit();
  }
}
