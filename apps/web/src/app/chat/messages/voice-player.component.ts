import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injectable,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { ElementRef } from '@angular/core';
import { clockDuration } from '../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { WAVEFORM_BARS, resample } from './voice-waveform';

interface Pausable {
  pause(): void;
}

/** The one voice message playing app-wide: starting another pauses it, as in any messenger. */
@Injectable({ providedIn: 'root' })
export class VoicePlayback {
  private current: Pausable | null = null;

  claim(player: Pausable): void {
    if (this.current !== player) this.current?.pause();
    this.current = player;
  }

  release(player: Pausable): void {
    if (this.current === player) this.current = null;
  }
}

const RATES = [1, 1.5, 2] as const;
const SEEK_STEP_MS = 5000;
/** Silent stretches still show as a stub of a bar, so the waveform reads as a track. */
const MIN_BAR = 0.1;

/**
 * A voice message: play/pause, a waveform to seek on (pointer or keyboard) that fills as it plays,
 * the position and a 1× / 1.5× / 2× speed button.
 */
@Component({
  selector: 'chat-voice-player',
  imports: [IconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'voice-player', '[class.own]': 'own()' },
  template: `
    <audio
      #audio
      preload="metadata"
      [src]="src()"
      (loadedmetadata)="readDuration()"
      (durationchange)="readDuration()"
      (play)="onPlay()"
      (pause)="onPause()"
      (ended)="onEnded()"
      (emptied)="onEmptied()"
    ></audio>
    <button
      type="button"
      class="play"
      data-testid="voice-play"
      [attr.aria-label]="playing() ? 'Pause' : 'Play voice message'"
      (click)="toggle()"
    >
      <chat-icon [name]="playing() ? 'pause' : 'play'" />
    </button>
    <div class="body">
      <div
        #wave
        class="wave"
        data-testid="voice-waveform"
        role="slider"
        tabindex="0"
        aria-label="Voice message position"
        aria-valuemin="0"
        [attr.aria-valuemax]="totalSeconds()"
        [attr.aria-valuenow]="positionSeconds()"
        [attr.aria-valuetext]="clock(positionMs()) + ' of ' + clock(totalMs())"
        (pointerdown)="grab($event)"
        (pointermove)="drag($event)"
        (pointerup)="dragging = false"
        (pointercancel)="dragging = false"
        (keydown)="key($event)"
      >
        @for (level of bars(); track $index) {
          <span
            class="bar"
            [class.played]="$index < playedBars()"
            [style.height.%]="level * 100"
          ></span>
        }
      </div>
      <div class="meta">
        <span class="time" data-testid="voice-time">{{ time() }}</span>
        <button
          type="button"
          class="speed"
          data-testid="voice-speed"
          [attr.aria-label]="'Playback speed ' + rate() + '×'"
          (click)="cycleSpeed()"
        >
          {{ rate() }}×
        </button>
      </div>
    </div>
  `,
  styles: `
    :host {
      display: flex;
      align-items: center;
      gap: 8px;
      /* Fixed, not content-sized: the bubble shrinks to fit, and at 375 px wide 62vw still fits. */
      width: min(260px, 62vw);
      padding: 2px 0;
      --voice-accent: var(--accent);
      --voice-on-accent: var(--accent-contrast);
      --voice-meta: var(--text-muted);
    }
    :host(.own) {
      --voice-accent: var(--bubble-own-text);
      --voice-on-accent: var(--bubble-own);
      --voice-meta: var(--bubble-own-meta);
    }
    audio {
      display: none;
    }
    .play {
      display: grid;
      place-items: center;
      flex: none;
      width: 36px;
      height: 36px;
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: var(--voice-accent);
      color: var(--voice-on-accent);
      cursor: pointer;
    }
    .play chat-icon {
      width: 18px;
      height: 18px;
    }
    .body {
      display: flex;
      flex-direction: column;
      gap: 2px;
      flex: 1;
      min-width: 0;
    }
    .wave {
      display: flex;
      align-items: center;
      gap: 1px;
      height: 24px;
      border-radius: 4px;
      cursor: pointer;
      /* Dragging seeks; the page must not scroll or select text under the finger. */
      touch-action: none;
      user-select: none;
    }
    .bar {
      flex: 1;
      min-width: 1px;
      border-radius: 1px;
      background: color-mix(in srgb, var(--voice-accent) 35%, transparent);
    }
    .bar.played {
      background: var(--voice-accent);
    }
    .meta {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
    }
    .time {
      font-size: 11px;
      line-height: 14px;
      color: var(--voice-meta);
      font-variant-numeric: tabular-nums;
    }
    .speed {
      flex: none;
      min-width: 34px;
      height: 20px;
      padding: 0 6px;
      border: 0;
      border-radius: 999px;
      background: color-mix(in srgb, var(--voice-accent) 15%, transparent);
      color: var(--voice-accent);
      font: inherit;
      font-size: 11px;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
      cursor: pointer;
    }
    :host(.own) :focus-visible {
      outline-color: var(--bubble-own-text);
    }
  `,
})
export class VoicePlayerComponent implements Pausable {
  /** The recording; an upload URL (served with Range) or a blob: URL before it is sent. */
  readonly src = input.required<string>();
  /** The server's reading; Chrome's MediaRecorder WebM says `duration === Infinity`. */
  readonly durationMs = input.required<number>();
  readonly waveform = input<readonly number[] | null | undefined>(null);
  /** Colours for the viewer's own bubble. */
  readonly own = input(false);

  private readonly playback = inject(VoicePlayback);
  private readonly audio = viewChild.required<ElementRef<HTMLAudioElement>>('audio');
  private readonly wave = viewChild.required<ElementRef<HTMLElement>>('wave');

  protected readonly playing = signal(false);
  protected readonly rate = signal<(typeof RATES)[number]>(1);
  protected readonly positionMs = signal(0);
  /** The element's own duration once it knows a finite one. */
  private readonly mediaMs = signal<number | null>(null);
  protected dragging = false;
  private frame = 0;

  protected readonly totalMs = computed(() => this.mediaMs() ?? Math.max(0, this.durationMs()));
  protected readonly totalSeconds = computed(() => Math.round(this.totalMs() / 1000));
  protected readonly positionSeconds = computed(() => Math.floor(this.positionMs() / 1000));
  protected readonly bars = computed(() => {
    const waveform = this.waveform();
    // The server checks the length; anything else (an old or hand-made message) is stretched.
    const levels = waveform?.length === WAVEFORM_BARS ? waveform : resample(waveform ?? []);
    return levels.map((level) => Math.max(MIN_BAR, Math.min(1, level)));
  });
  protected readonly playedBars = computed(() => {
    const total = this.totalMs();
    return total > 0 ? (this.positionMs() / total) * WAVEFORM_BARS : 0;
  });
  /** At rest the length, as a list of messages shows it; once started, how far it has got. */
  protected readonly time = computed(() =>
    clockDuration(this.playing() || this.positionMs() > 0 ? this.positionMs() : this.totalMs()),
  );
  protected readonly clock = clockDuration;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.stopFollowing();
      this.playback.release(this);
    });
  }

  /** Pauses playback; called by `VoicePlayback` when another voice message starts. */
  pause(): void {
    this.audio().nativeElement.pause();
    this.onPause();
  }

  protected toggle(): void {
    if (this.playing()) {
      this.pause();
      return;
    }
    const audio = this.audio().nativeElement;
    this.onPlay();
    audio.play().catch(() => this.onPause());
  }

  protected cycleSpeed(): void {
    const rate = RATES[(RATES.indexOf(this.rate()) + 1) % RATES.length];
    this.rate.set(rate);
    const audio = this.audio().nativeElement;
    audio.playbackRate = rate;
    // Kept across a new src, which resets playbackRate to the default.
    audio.defaultPlaybackRate = rate;
  }

  protected readDuration(): void {
    const seconds = this.audio().nativeElement.duration;
    this.mediaMs.set(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null);
  }

  /** Also on play started elsewhere (the OS media controls), so the one-at-a-time rule holds. */
  protected onPlay(): void {
    this.playback.claim(this);
    this.playing.set(true);
    this.follow();
  }

  protected onPause(): void {
    this.playing.set(false);
    this.stopFollowing();
  }

  /** Back to the start, showing the length again. */
  protected onEnded(): void {
    this.onPause();
    this.audio().nativeElement.currentTime = 0;
    this.positionMs.set(0);
  }

  /** A new src: nothing of the old recording's position or duration applies. */
  protected onEmptied(): void {
    this.onPause();
    this.positionMs.set(0);
    this.mediaMs.set(null);
  }

  protected grab(event: PointerEvent): void {
    this.dragging = true;
    this.wave().nativeElement.setPointerCapture(event.pointerId);
    this.seekToPointer(event);
  }

  protected drag(event: PointerEvent): void {
    if (this.dragging) this.seekToPointer(event);
  }

  protected key(event: KeyboardEvent): void {
    const targets: Partial<Record<string, number>> = {
      ArrowLeft: this.positionMs() - SEEK_STEP_MS,
      ArrowDown: this.positionMs() - SEEK_STEP_MS,
      ArrowRight: this.positionMs() + SEEK_STEP_MS,
      ArrowUp: this.positionMs() + SEEK_STEP_MS,
      Home: 0,
      End: this.totalMs(),
    };
    const target = targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.seek(target);
  }

  private seekToPointer(event: PointerEvent): void {
    const rect = this.wave().nativeElement.getBoundingClientRect();
    if (rect.width > 0) this.seek(((event.clientX - rect.left) / rect.width) * this.totalMs());
  }

  private seek(ms: number): void {
    const clamped = Math.min(this.totalMs(), Math.max(0, ms));
    this.audio().nativeElement.currentTime = clamped / 1000;
    this.positionMs.set(clamped);
  }

  /** Per frame rather than on 'timeupdate' (about 4 Hz), so the played bars fill smoothly. */
  private follow(): void {
    this.stopFollowing();
    const step = () => {
      this.positionMs.set(Math.min(this.totalMs(), this.audio().nativeElement.currentTime * 1000));
      this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  private stopFollowing(): void {
    cancelAnimationFrame(this.frame);
  }
}
