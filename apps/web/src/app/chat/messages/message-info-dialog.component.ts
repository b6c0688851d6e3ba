import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import type { ConversationMemberView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { parseHttpError } from '../../core/http/http-error';
import { IconComponent } from '../../shared/icon.component';
import { ConversationsApi } from '../conversations/conversations.api';
import { AvatarComponent } from '../shared/avatar.component';
import { displayName, fullTime } from '../shared/format';
import type { MessageInfo, ReceiptRow } from './message-info';
import { messageInfo } from './message-info';

/** "Message info": who read an own message and whose device has it, with times. */
@Component({
  selector: 'chat-message-info-dialog',
  imports: [IconComponent, AvatarComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="dialog"
      aria-labelledby="message-info-title"
      data-testid="message-info"
      (close)="info.set(null)"
    >
      <div class="body">
        <header>
          <h2 id="message-info-title">Message info</h2>
          <button
            type="button"
            class="icon-btn"
            aria-label="Close"
            data-testid="message-info-close"
            (click)="close()"
          >
            <chat-icon name="close" />
          </button>
        </header>
        @if (error(); as message) {
          <p class="alert" role="alert">{{ message }}</p>
        } @else if (info()) {
          @for (list of sections(); track list.title) {
            <section>
              <h3>{{ list.title }}</h3>
              <ul>
                @for (row of list.rows; track row.member.id) {
                  <li [attr.data-testid]="list.testid" [attr.data-user-id]="row.member.id">
                    <chat-avatar
                      [name]="name(row)"
                      [id]="row.member.id"
                      [url]="row.member.avatarUrl"
                      [size]="32"
                    />
                    <span class="who">
                      <span>{{ name(row) }}</span>
                      @if (row.member.username) {
                        <small>&#64;{{ row.member.username }}</small>
                      }
                    </span>
                    @if (row.at; as at) {
                      <time [attr.datetime]="at">{{ time(at) }}</time>
                    }
                  </li>
                } @empty {
                  <li class="none">{{ list.empty }}</li>
                }
              </ul>
            </section>
          }
        } @else {
          <p class="center"><span class="spinner" aria-hidden="true"></span> Loading…</p>
        }
      </div>
    </dialog>
  `,
  styles: `
    .dialog {
      width: min(420px, calc(100vw - 24px));
      max-height: min(600px, calc(100dvh - 24px));
      padding: 0;
      border: 1px solid var(--border);
      border-radius: var(--radius-lg);
      background: var(--surface);
      color: var(--text);
      box-shadow: var(--shadow);
    }
    .dialog::backdrop {
      background: rgba(8, 10, 16, 0.5);
    }
    .body {
      display: flex;
      flex-direction: column;
      gap: 12px;
      padding: 16px 20px 20px;
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
    }
    h2 {
      margin: 0;
      font-size: 18px;
    }
    h3 {
      margin: 0 0 4px;
      font-size: 13px;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--text-muted);
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    li {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 6px 0;
    }
    .who {
      display: flex;
      flex: 1;
      min-width: 0;
      flex-direction: column;
      line-height: 1.2;
    }
    small,
    time,
    .none {
      color: var(--text-muted);
      font-size: 13px;
    }
    .center {
      display: flex;
      gap: 8px;
      align-items: center;
    }
  `,
})
export class MessageInfoDialogComponent {
  private readonly api = inject(ConversationsApi);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  protected readonly info = signal<MessageInfo | null>(null);
  protected readonly error = signal<string | null>(null);
  private request = 0;

  async open(
    conversationId: string,
    messageId: string,
    senderId: string,
    members: readonly ConversationMemberView[],
  ): Promise<void> {
    const request = ++this.request;
    this.info.set(null);
    this.error.set(null);
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    try {
      const receipts = await firstValueFrom(this.api.receipts(conversationId, messageId));
      if (request === this.request) this.info.set(messageInfo(receipts, members, senderId));
    } catch (err) {
      if (request === this.request) this.error.set(parseHttpError(err).message);
    }
  }

  protected close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }

  protected readonly sections = computed(() => {
    const info = this.info();
    if (!info) return [];
    return [
      {
        title: counted('Read by', info.readCount, info.readBy.length),
        rows: info.readBy,
        testid: 'receipt-read',
        empty: 'Nobody yet',
      },
      {
        title: counted('Delivered to', info.deliveredCount, info.deliveredTo.length),
        rows: info.deliveredTo,
        testid: 'receipt-delivered',
        empty: info.readBy.length ? 'Everyone else has read it' : 'Nobody yet',
      },
      ...(info.waiting.length
        ? [{ title: 'Not delivered yet', rows: info.waiting, testid: 'receipt-waiting', empty: '' }]
        : []),
    ];
  });

  protected name(row: ReceiptRow): string {
    return displayName(row.member);
  }

  protected time(at: string): string {
    return fullTime(at);
  }
}

/** "Read by 3,214" when the list shows only the first of them. */
function counted(title: string, count: number, listed: number): string {
  return count > listed ? `${title} ${count.toLocaleString('en')}` : title;
}
