import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Directive,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  signal,
} from '@angular/core';
import { AuthStore } from '../../core/auth/auth.store';
import { ConversationsStore } from '../conversations/conversations.store';
import { conversationTitle } from '../shared/format';
import { AvatarComponent } from '../shared/avatar.component';
import { clockDuration } from '../shared/format';
import { CallService } from './call.service';

/** Plays a MediaStream in a <video> (srcObject is a property no template binding reaches). */
@Directive({ selector: 'video[chatStream]' })
export class StreamDirective {
  readonly chatStream = input<MediaStream | null>(null);
  private readonly video = inject<ElementRef<HTMLVideoElement>>(ElementRef).nativeElement;

  constructor() {
    effect(() => {
      const stream = this.chatStream();
      if (this.video.srcObject !== stream) this.video.srcObject = stream;
    });
  }
}

/**
 * The call on top of everything: the ringing screen (accept/decline) on every tab of the
 * callee, "Calling…" for the caller, then the call itself with its controls and timer.
 */
@Component({
  selector: 'chat-call-overlay',
  imports: [AvatarComponent, StreamDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (calls.call(); as call) {
      <section
        class="overlay"
        role="dialog"
        aria-modal="true"
        [attr.aria-label]="heading()"
        data-testid="call-overlay"
        [attr.data-phase]="call.phase"
        [class.video]="call.media === 'video'"
        [class.grid]="layout() === 'grid'"
      >
        <div class="stage">
          <video
            class="remote"
            data-testid="remote-video"
            autoplay
            playsinline
            [chatStream]="calls.remoteStream()"
            [hidden]="call.media !== 'video' || !calls.remoteStream()"
          ></video>
          @if (call.media === 'video' && calls.localStream()) {
            <video
              class="local"
              data-testid="local-video"
              autoplay
              playsinline
              [muted]="true"
              [chatStream]="calls.localStream()"
              [class.off]="calls.cameraOff()"
            ></video>
          }
          @if (call.media !== 'video' || call.phase !== 'active') {
            <div class="who">
              <chat-avatar [name]="peerName()" [id]="call.conversationId" [size]="96" />
              <h2 data-testid="call-peer">{{ peerName() }}</h2>
              <p class="status" data-testid="call-status" aria-live="polite">{{ status() }}</p>
            </div>
          } @else {
            <p class="timer" data-testid="call-timer" aria-live="off">{{ elapsed() }}</p>
          }
        </div>

        <div class="controls">
          @switch (call.phase) {
            @case ('incoming') {
              <button
                type="button"
                class="round danger"
                data-testid="call-decline"
                (click)="calls.decline()"
              >
                Decline
              </button>
              <button
                type="button"
                class="round accept"
                data-testid="call-accept"
                (click)="calls.accept()"
              >
                Accept
              </button>
            }
            @case ('ended') {
              <button
                type="button"
                class="round"
                data-testid="call-dismiss"
                (click)="calls.dismiss()"
              >
                Close
              </button>
            }
            @default {
              <button
                type="button"
                class="round"
                data-testid="call-mute"
                [attr.aria-pressed]="calls.muted()"
                (click)="calls.toggleMute()"
              >
                {{ calls.muted() ? 'Unmute' : 'Mute' }}
              </button>
              @if (call.media === 'video') {
                <button
                  type="button"
                  class="round"
                  data-testid="call-camera"
                  [attr.aria-pressed]="calls.cameraOff()"
                  (click)="calls.toggleCamera()"
                >
                  {{ calls.cameraOff() ? 'Camera on' : 'Camera off' }}
                </button>
                <button
                  type="button"
                  class="round"
                  data-testid="call-layout"
                  (click)="toggleLayout()"
                >
                  {{ layout() === 'speaker' ? 'Grid view' : 'Speaker view' }}
                </button>
              }
              <button
                type="button"
                class="round danger"
                data-testid="call-hangup"
                (click)="calls.hangUp()"
              >
                Hang up
              </button>
            }
          }
        </div>
      </section>
    }
  `,
  styles: `
    .overlay {
      position: fixed;
      inset: 0;
      z-index: 1000;
      display: flex;
      flex-direction: column;
      background: #10131c;
      color: #fff;
      padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom)
        env(safe-area-inset-left);
    }
    .stage {
      position: relative;
      flex: 1;
      min-height: 0;
      display: flex;
      align-items: center;
      justify-content: center;
    }
    video {
      background: #000;
    }
    .remote {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    .local {
      position: absolute;
      right: 12px;
      bottom: 12px;
      width: min(30vw, 180px);
      aspect-ratio: 4 / 3;
      object-fit: cover;
      border-radius: 10px;
      border: 2px solid rgba(255, 255, 255, 0.6);
      transform: scaleX(-1);
    }
    .local.off {
      visibility: hidden;
    }
    .grid .stage {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr));
      gap: 8px;
      padding: 8px;
    }
    .grid .remote,
    .grid .local {
      position: static;
      width: 100%;
      height: 100%;
      max-height: 100%;
      border-radius: 10px;
      border: 0;
    }
    .who {
      position: relative;
      text-align: center;
      display: grid;
      justify-items: center;
      gap: 8px;
      padding: 16px;
    }
    .who h2 {
      margin: 8px 0 0;
      font-size: 22px;
      overflow-wrap: anywhere;
    }
    .status {
      margin: 0;
      opacity: 0.85;
      max-width: 36ch;
    }
    .timer {
      position: absolute;
      top: 12px;
      left: 50%;
      transform: translateX(-50%);
      margin: 0;
      padding: 4px 10px;
      border-radius: 999px;
      background: rgba(0, 0, 0, 0.5);
      font-variant-numeric: tabular-nums;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      gap: 10px;
      padding: 16px 12px 20px;
    }
    .round {
      min-width: 76px;
      min-height: 48px;
      padding: 0 14px;
      border-radius: 999px;
      border: 0;
      font: inherit;
      font-weight: 600;
      background: rgba(255, 255, 255, 0.16);
      color: #fff;
      cursor: pointer;
    }
    .round[aria-pressed='true'] {
      background: #fff;
      color: #10131c;
    }
    .round.accept {
      background: #15803d;
    }
    .round.danger {
      background: #b91c1c;
    }
    .round:focus-visible {
      outline: 3px solid #93c5fd;
      outline-offset: 2px;
    }
  `,
})
export class CallOverlayComponent {
  protected readonly calls = inject(CallService);
  private readonly conversations = inject(ConversationsStore);
  private readonly selfId = inject(AuthStore).userId;
  private readonly now = signal(Date.now());
  protected readonly layout = signal<'speaker' | 'grid'>('speaker');

  protected readonly peerName = computed(() => {
    const id = this.calls.call()?.conversationId;
    const conversation = this.conversations.conversations().find((c) => c.id === id);
    return conversation ? conversationTitle(conversation, this.selfId()) : 'Unknown';
  });
  protected readonly heading = computed(() => {
    const call = this.calls.call();
    const kind = call?.media === 'video' ? 'Video call' : 'Voice call';
    return `${kind} with ${this.peerName()}`;
  });
  protected readonly status = computed(() => {
    const call = this.calls.call();
    if (!call) return '';
    const kind = call.media === 'video' ? 'video call' : 'voice call';
    switch (call.phase) {
      case 'incoming':
        return `Incoming ${kind}…`;
      case 'outgoing':
        return 'Calling…';
      case 'connecting':
        return 'Connecting…';
      case 'active':
        return this.elapsed();
      case 'ended':
        return call.notice ?? 'Call ended';
      default:
        return '';
    }
  });
  protected readonly elapsed = computed(() => {
    const at = this.calls.call()?.connectedAt;
    return at ? clockDuration(this.now() - at) : '0:00';
  });

  constructor() {
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(tick));
  }

  protected toggleLayout(): void {
    this.layout.update((layout) => (layout === 'speaker' ? 'grid' : 'speaker'));
  }
}
