import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { IconComponent } from '../../shared/icon.component';
import { LockIconComponent } from './lock-icon.component';
import { safetyNumberGroups } from './safety-number';
import { VerificationStore } from './verification.store';

export interface VerificationPeer {
  id: string;
  name: string;
}

/**
 * "Verify safety number": the 60 digits both people see for their conversation, how to compare
 * them, and "Mark as verified" (kept in this browser until the number changes).
 */
@Component({
  selector: 'chat-safety-number-dialog',
  imports: [IconComponent, LockIconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="dialog"
      aria-labelledby="safety-number-title"
      aria-describedby="safety-number-how"
      data-testid="safety-number-dialog"
      (close)="peer.set(null)"
    >
      @if (peer(); as person) {
        <div class="body">
          <header>
            <h2 id="safety-number-title">Verify safety number</h2>
            <button
              type="button"
              class="icon-btn"
              aria-label="Close"
              data-testid="safety-number-close"
              (click)="close()"
            >
              <chat-icon name="close" />
            </button>
          </header>

          @switch (state()?.status) {
            @case ('ready') {
              <p
                class="number"
                data-testid="safety-number"
                [attr.data-safety-number]="safetyNumber()"
                [attr.aria-label]="'Safety number: ' + groups().join(' ')"
              >
                <!-- The spaces keep the groups apart when copied (the grid ignores them). -->
                @for (group of groups(); track $index) {
                  <span>{{ group }}</span>{{ ' ' }}
                }
              </p>
              <p id="safety-number-how" class="how">
                Compare these numbers with {{ person.name }} in person or over a call. If they match
                on both your screens, mark as verified: your messages can only be read on your and
                their devices.
              </p>
              <p class="muted">
                The number changes when either of you adds a device or reinstalls. You'll be asked
                to verify again then.
              </p>
              @if (verified()) {
                <p class="verified" role="status" data-testid="safety-number-verified">
                  <chat-icon name="check" /> Verified
                </p>
                <div class="row">
                  <button
                    type="button"
                    class="btn"
                    data-testid="safety-number-unverify"
                    (click)="clearVerified()"
                  >
                    Clear verification
                  </button>
                </div>
              } @else {
                <div class="row">
                  <button
                    type="button"
                    class="btn btn-primary"
                    data-testid="safety-number-mark-verified"
                    (click)="markVerified()"
                  >
                    Mark as verified
                  </button>
                </div>
              }
            }
            @case ('no-keys') {
              <p id="safety-number-how" class="how" data-testid="safety-number-no-keys">
                @if (missingSelf()) {
                  This browser hasn't set up encryption yet, so there is no safety number to
                  compare. Open the conversation once to set it up.
                } @else {
                  {{ person.name }} hasn't used end-to-end encryption on any device yet, so there is
                  no safety number to compare.
                }
              </p>
            }
            @case ('error') {
              <p id="safety-number-how" class="alert" role="alert">{{ errorText() }}</p>
              <div class="row">
                <button type="button" class="btn" (click)="load()">Try again</button>
              </div>
            }
            @default {
              <p id="safety-number-how" class="center">
                <span class="spinner" aria-hidden="true"></span>
                <chat-lock-icon /> Computing the safety number…
              </p>
            }
          }
        </div>
      }
    </dialog>
  `,
  styles: `
    .dialog {
      width: min(420px, calc(100vw - 24px));
      max-height: calc(100dvh - 24px);
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
    p {
      margin: 0;
    }
    .number {
      display: grid;
      grid-template-columns: repeat(4, auto);
      justify-content: center;
      gap: 8px 18px;
      padding: 14px 12px;
      border-radius: var(--radius);
      background: var(--surface-2);
      font-family: var(--font-mono);
      font-size: 19px;
      letter-spacing: 0.06em;
      font-variant-numeric: tabular-nums;
    }
    @media (max-width: 420px) {
      .number {
        gap: 8px 12px;
        font-size: 17px;
      }
    }
    .how {
      line-height: 1.45;
    }
    .muted {
      color: var(--text-muted);
      font-size: 13px;
      line-height: 1.4;
    }
    .verified {
      display: flex;
      align-items: center;
      gap: 6px;
      font-weight: 700;
    }
    .verified chat-icon {
      width: 18px;
      height: 18px;
      /* The check carries the colour; the word stays in the text colour (contrast). */
      color: var(--online);
    }
    .row {
      display: flex;
      gap: 8px;
      justify-content: flex-end;
    }
    .center {
      display: flex;
      gap: 8px;
      align-items: center;
      color: var(--text-muted);
    }
  `,
})
export class SafetyNumberDialogComponent {
  private readonly store = inject(VerificationStore);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  protected readonly peer = signal<VerificationPeer | null>(null);
  protected readonly state = computed(() => {
    const peer = this.peer();
    return peer ? this.store.safety(peer.id) : undefined;
  });
  protected readonly safetyNumber = computed(() => {
    const state = this.state();
    return state?.status === 'ready' ? state.safetyNumber : '';
  });
  protected readonly groups = computed(() => safetyNumberGroups(this.safetyNumber()));
  protected readonly verified = computed(() => {
    const peer = this.peer();
    return !!peer && this.store.isVerified(peer.id);
  });
  protected readonly missingSelf = computed(() => {
    const state = this.state();
    return state?.status === 'no-keys' && state.missing === 'self';
  });
  protected readonly errorText = computed(() => {
    const state = this.state();
    return state?.status === 'error' ? state.message : '';
  });

  open(peer: VerificationPeer): void {
    this.peer.set(peer);
    const dialog = this.dialog().nativeElement;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    this.load();
  }

  close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }

  protected load(): void {
    const peer = this.peer();
    if (peer) void this.store.loadSafetyNumber(peer.id);
  }

  protected markVerified(): void {
    const peer = this.peer();
    const safetyNumber = this.safetyNumber();
    if (peer && safetyNumber) this.store.markVerified(peer.id, safetyNumber);
  }

  protected clearVerified(): void {
    const peer = this.peer();
    if (peer) this.store.clearVerified(peer.id);
  }
}
