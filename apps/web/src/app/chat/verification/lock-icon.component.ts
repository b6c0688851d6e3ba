import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A padlock in the stroke style of `chat-icon`: decorative by default; with a `label` it is an
 * image with that accessible name (the lock badge of an encrypted conversation).
 */
@Component({
  selector: 'chat-lock-icon',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[attr.role]': 'label() ? "img" : null',
    '[attr.aria-label]': 'label() || null',
    '[attr.title]': 'label() || null',
  },
  template: `
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="4" y="11" width="16" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </svg>
  `,
  styles: `
    :host {
      display: inline-flex;
      flex: none;
      width: 1em;
      height: 1em;
    }
    svg {
      width: 100%;
      height: 100%;
    }
  `,
})
export class LockIconComponent {
  readonly label = input<string>('');
}
