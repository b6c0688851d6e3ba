import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import type { ConversationView, UpdateConversationSettingsDto } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { ConversationsStore } from '../chat/conversations/conversations.store';
import { PageVisibility } from '../chat/shared/page-visibility.service';
import { parseHttpError } from '../core/http/http-error';
import type { MuteOption } from './mute';
import { MUTE_OPTIONS, isMuted, muteLabel } from './mute';

/** The conversation header's bell: mute for 1 h, 8 h, a week or until unmuted; or unmute. */
@Component({
  selector: 'chat-mute-menu',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:click)': 'onDocumentClick($event)', '(keydown.escape)': 'open.set(false)' },
  template: `
    <button
      type="button"
      class="icon-btn"
      data-testid="mute-button"
      aria-haspopup="menu"
      [attr.aria-expanded]="open()"
      [attr.aria-label]="label() ?? 'Mute notifications'"
      [title]="label() ?? 'Mute notifications'"
      [disabled]="busy()"
      (click)="open.set(!open())"
    >
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
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        @if (muted()) {
          <path d="M3 3l18 18" />
        }
      </svg>
    </button>
    @if (open()) {
      <div class="menu" role="menu" data-testid="mute-menu">
        @if (muted()) {
          <p class="state">{{ label() }}</p>
          <button type="button" role="menuitem" data-testid="unmute" (click)="set(null)">
            Unmute
          </button>
        } @else {
          @for (option of options; track option.label) {
            <button type="button" role="menuitem" data-testid="mute-option" (click)="set(option)">
              {{ option.label }}
            </button>
          }
        }
      </div>
    }
    @if (error(); as message) {
      <p class="error" role="alert">{{ message }}</p>
    }
  `,
  styles: `
    :host {
      position: relative;
      display: inline-flex;
      margin-left: auto;
    }
    .menu {
      position: absolute;
      z-index: 40;
      top: calc(100% + 4px);
      right: 0;
      min-width: 180px;
      padding: 4px;
      display: flex;
      flex-direction: column;
      background: var(--surface, #fff);
      color: var(--text, #111);
      border: 1px solid var(--border, rgba(0, 0, 0, 0.12));
      border-radius: 10px;
      box-shadow: 0 8px 24px rgba(0, 0, 0, 0.18);
    }
    .menu button {
      text-align: left;
      padding: 8px 12px;
      border: 0;
      border-radius: 6px;
      background: none;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    .menu button:hover,
    .menu button:focus-visible {
      background: var(--accent-soft, rgba(0, 0, 0, 0.06));
    }
    .state {
      margin: 4px 12px;
      font-size: 0.85em;
      opacity: 0.7;
    }
    .error {
      position: absolute;
      top: calc(100% + 4px);
      right: 0;
      margin: 0;
      color: var(--danger, #dc2626);
      font-size: 0.85em;
      white-space: nowrap;
    }
  `,
})
export class MuteMenuComponent {
  readonly conversation = input.required<ConversationView>();

  private readonly http = inject(HttpClient);
  private readonly store = inject(ConversationsStore);
  private readonly page = inject(PageVisibility);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  protected readonly options = MUTE_OPTIONS;
  protected readonly open = signal(false);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly muted = computed(() => isMuted(this.conversation(), this.page.now()));
  protected readonly label = computed(() => muteLabel(this.conversation(), this.page.now()));

  protected async set(option: MuteOption | null): Promise<void> {
    const id = this.conversation().id;
    const body: UpdateConversationSettingsDto = {
      mutedUntil: option ? option.until(Date.now()) : null,
    };
    this.open.set(false);
    this.busy.set(true);
    this.error.set(null);
    try {
      const view = await firstValueFrom(
        this.http.patch<ConversationView>(
          `/api/conversations/${encodeURIComponent(id)}/settings`,
          body,
        ),
      );
      this.store.upsert(view);
    } catch (err) {
      this.error.set(parseHttpError(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected onDocumentClick(event: MouseEvent): void {
    if (this.open() && !this.host.nativeElement.contains(event.target as Node))
      this.open.set(false);
  }
}
