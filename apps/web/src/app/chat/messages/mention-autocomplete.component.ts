import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { AvatarComponent } from '../shared/avatar.component';
import { displayName } from '../shared/format';
import type { MentionCandidate } from './mentions';

/** Members matching an `@name` being typed; the composer drives it from the keyboard. */
@Component({
  selector: 'chat-mention-autocomplete',
  imports: [AvatarComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'listbox',
    id: 'mention-listbox',
    'aria-label': 'Members to mention',
    'data-testid': 'mention-autocomplete',
  },
  template: `
    @for (member of candidates(); track member.id; let i = $index) {
      <div
        class="option"
        role="option"
        data-testid="mention-option"
        [id]="'mention-option-' + i"
        [attr.data-username]="member.username"
        [attr.aria-selected]="i === active()"
        [class.active]="i === active()"
        (pointerdown)="choose($event, member)"
      >
        <chat-avatar [name]="name(member)" [id]="member.id" [url]="member.avatarUrl" [size]="26" />
        <span class="name">{{ name(member) }}</span>
        <span class="username">&#64;{{ member.username }}</span>
      </div>
    }
  `,
  styles: `
    :host {
      display: block;
      max-height: 240px;
      margin: 0 0 8px;
      padding: 4px;
      overflow-y: auto;
      border: 1px solid var(--border);
      border-radius: var(--radius);
      background: var(--surface);
      box-shadow: var(--shadow-sm);
    }
    .option {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 6px 8px;
      border-radius: 8px;
      cursor: pointer;
    }
    .option.active,
    .option:hover {
      background: var(--surface-3);
    }
    .name {
      font-weight: 600;
    }
    .username {
      color: var(--text-faint);
      font-size: 13px;
    }
  `,
})
export class MentionAutocompleteComponent {
  readonly candidates = input.required<readonly MentionCandidate[]>();
  readonly active = input(0);
  readonly pick = output<MentionCandidate>();

  /** On pointerdown, so the composer keeps its focus (the keyboard picks in the composer). */
  protected choose(event: PointerEvent, member: MentionCandidate): void {
    event.preventDefault();
    this.pick.emit(member);
  }

  protected name(member: MentionCandidate): string {
    return displayName(member);
  }
}
