import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { hueOf, initials } from './format';

/** A round picture, or initials on a colour derived from the id, with an optional presence dot. */
@Component({
  selector: 'chat-avatar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (url() && !broken()) {
      <img [src]="url()" alt="" (error)="broken.set(true)" />
    } @else if (group()) {
      <span class="initials" aria-hidden="true">
        <svg
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linecap="round"
        >
          <path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2" />
          <circle cx="9" cy="7" r="4" />
          <path d="M23 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75" />
        </svg>
      </span>
    } @else {
      <span class="initials" aria-hidden="true">{{ letters() }}</span>
    }
    @if (online() !== null) {
      <span
        class="dot"
        [class.on]="online()"
        [attr.data-testid]="online() ? 'online-dot' : 'offline-dot'"
        [attr.aria-label]="online() ? 'online' : 'offline'"
        role="img"
      ></span>
    }
  `,
  host: {
    '[style.--size.px]': 'size()',
    '[style.--hue]': 'hue()',
  },
  styles: `
    :host {
      position: relative;
      display: inline-block;
      flex: none;
      width: var(--size);
      height: var(--size);
    }
    img,
    .initials {
      display: grid;
      place-items: center;
      width: 100%;
      height: 100%;
      border-radius: 50%;
      object-fit: cover;
    }
    .initials {
      font-size: calc(var(--size) * 0.38);
      font-weight: 700;
      letter-spacing: 0.02em;
      color: hsl(var(--hue) 55% var(--avatar-fg-l));
      background: hsl(var(--hue) var(--avatar-bg-s) var(--avatar-bg-l));
      user-select: none;
    }
    svg {
      width: 55%;
      height: 55%;
    }
    .dot {
      position: absolute;
      right: 0;
      bottom: 0;
      width: calc(var(--size) * 0.28);
      height: calc(var(--size) * 0.28);
      min-width: 10px;
      min-height: 10px;
      border: 2px solid var(--surface);
      border-radius: 50%;
      background: var(--text-faint);
      display: none;
    }
    .dot.on {
      display: block;
      background: var(--online);
    }
  `,
})
export class AvatarComponent {
  readonly name = input.required<string>();
  readonly id = input<string>('');
  readonly url = input<string | null | undefined>(null);
  /** true/false draws a presence dot (only shown when online); null draws none. */
  readonly online = input<boolean | null>(null);
  readonly group = input(false);
  readonly size = input(40);

  protected readonly broken = signal(false);
  protected readonly letters = computed(() => initials(this.name()));
  protected readonly hue = computed(() => hueOf(this.id() || this.name()));
}
