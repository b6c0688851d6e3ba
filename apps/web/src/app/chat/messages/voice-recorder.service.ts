import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { Subject } from 'rxjs';
import { barsFromSamples, meterLevel, resample } from './voice-waveform';

export type VoiceRecorderState = 'idle' | 'requesting' | 'recording' | 'processing';

/** A finished take, ready to upload as `kind: 'voice'`. */
export interface VoiceRecording {
  blob: Blob;
  /** Without codec parameters ('audio/webm'), as the upload contract names voice types. */
  mimeType: string;
  durationMs: number;
  /** `WAVEFORM_BARS` levels in 0..1. */
  waveform: number[];
  /** `blob` named `voice-<timestamp>.<webm|ogg|m4a>`. */
  file: File;
}

/** The server's default MAX_VOICE_SECONDS. */
export const MAX_VOICE_MS = 300_000;

/** Shorter takes are a slip on the mic button, not a message. */
export const MIN_VOICE_MS = 500;

export const VOICE_ERRORS = {
  denied:
    "Microphone access was denied. Allow it in the browser's site settings to record voice messages.",
  noDevice: 'No microphone was found. Connect one and try again.',
  busy: 'The microphone is in use by another app. Close it and try again.',
  unsupported: "This browser can't record voice messages.",
  failed: "Couldn't start recording. Try again.",
} as const;

/** Opus first where the browser records it (Chrome, Firefox); Safari records AAC in MP4. */
const FORMATS = [
  { recorderType: 'audio/webm;codecs=opus', mimeType: 'audio/webm', extension: 'webm' },
  { recorderType: 'audio/ogg;codecs=opus', mimeType: 'audio/ogg', extension: 'ogg' },
  { recorderType: 'audio/mp4', mimeType: 'audio/mp4', extension: 'm4a' },
] as const;

type Format = (typeof FORMATS)[number];

const TICK_MS = 100;
/** Chunks keep a long take from living in one encoder buffer until the very end. */
const TIMESLICE_MS = 250;

interface Take {
  format: Format;
  stream: MediaStream;
  context: AudioContext;
  analyser: AnalyserNode;
  frame: Float32Array<ArrayBuffer>;
  recorder: MediaRecorder;
  chunks: Blob[];
  /** One meter reading per tick: the waveform when the browser can't decode its own recording. */
  levels: number[];
  startedAt: number;
  timer: ReturnType<typeof setInterval> | undefined;
  released: boolean;
}

function supportedFormat(): Format | null {
  if (
    typeof MediaRecorder === 'undefined' ||
    typeof AudioContext === 'undefined' ||
    typeof navigator.mediaDevices?.getUserMedia !== 'function'
  ) {
    return null;
  }
  return FORMATS.find((format) => MediaRecorder.isTypeSupported(format.recorderType)) ?? null;
}

function errorText(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return VOICE_ERRORS.denied;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return VOICE_ERRORS.noDevice;
    case 'NotReadableError':
      return VOICE_ERRORS.busy;
    default:
      return VOICE_ERRORS.failed;
  }
}

/**
 * Records one voice message at a time from the microphone. Not provided in root: the composer
 * provides it, so leaving the conversation destroys it and that always turns the mic off.
 *
 * A take ends in exactly one way: `stop()` resolves with it, `cancel()` drops it, or, at
 * `maxMs`, it stops by itself and arrives on `limitReached` (a `stop()` racing that gets null).
 */
@Injectable()
export class VoiceRecorderService {
  private readonly _state = signal<VoiceRecorderState>('idle');
  private readonly _elapsedMs = signal(0);
  private readonly _level = signal(0);
  private readonly _error = signal<string | null>(null);
  private readonly limit = new Subject<VoiceRecording>();

  readonly state = this._state.asReadonly();
  /** Length of the take so far, updated every 100 ms while recording. */
  readonly elapsedMs = this._elapsedMs.asReadonly();
  /** Live input level in 0..1 for a meter; 0 when not recording. */
  readonly level = this._level.asReadonly();
  /** Why the last `start()` failed, in words for the user; cleared by the next `start()`. */
  readonly error = this._error.asReadonly();
  readonly limitReached = this.limit.asObservable();
  /** Longest take; a server configured lower than the default can be matched by setting this. */
  maxMs = MAX_VOICE_MS;
  /** Whether this browser can record at all: where it cannot, no microphone button is offered. */
  readonly supported = supportedFormat() !== null;

  private take: Take | null = null;
  /** Bumped by `cancel()`, so a permission prompt answered after it opens no mic. */
  private generation = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.cancel();
      this.limit.complete();
    });
  }

  /** Asks for the mic and starts recording; false (with `error` set unless cancelled) if not. */
  async start(): Promise<boolean> {
    if (this._state() !== 'idle') return false;
    this._error.set(null);
    const format = supportedFormat();
    if (!format) {
      this._error.set(VOICE_ERRORS.unsupported);
      return false;
    }
    const generation = ++this.generation;
    this._state.set('requesting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      if (generation === this.generation) {
        this._error.set(errorText(error));
        this._state.set('idle');
      }
      return false;
    }
    if (generation !== this.generation) {
      stream.getTracks().forEach((track) => track.stop());
      return false;
    }
    try {
      this.take = this.begin(format, stream);
    } catch (error) {
      stream.getTracks().forEach((track) => track.stop());
      this._error.set(errorText(error));
      this._state.set('idle');
      return false;
    }
    this._state.set('recording');
    return true;
  }

  /** Ends the take: null if it was shorter than `MIN_VOICE_MS` or nothing was recording. */
  stop(): Promise<VoiceRecording | null> {
    if (this._state() === 'requesting') this.cancel();
    if (!this.take || this._state() !== 'recording') return Promise.resolve(null);
    return this.finish(this.take);
  }

  /** Drops the take, or the pending permission request, and turns the mic off. */
  cancel(): void {
    this.generation++;
    const take = this.take;
    this.take = null;
    if (take) {
      if (take.recorder.state !== 'inactive') take.recorder.stop();
      this.release(take);
    }
    this.reset();
  }

  private begin(format: Format, stream: MediaStream): Take {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    // Outside the click's own task Safari may create the context suspended: the meter would
    // read silence. A refusal only costs the meter, never the recording.
    context.resume().catch(() => undefined);
    const recorder = new MediaRecorder(stream, { mimeType: format.recorderType });
    const take: Take = {
      format,
      stream,
      context,
      analyser,
      frame: new Float32Array(analyser.fftSize),
      recorder,
      chunks: [],
      levels: [],
      startedAt: performance.now(),
      timer: undefined,
      released: false,
    };
    recorder.ondataavailable = (event) => {
      if (event.data.size) take.chunks.push(event.data);
    };
    recorder.start(TIMESLICE_MS);
    take.timer = setInterval(() => this.tick(take), TICK_MS);
    return take;
  }

  private tick(take: Take): void {
    const elapsed = performance.now() - take.startedAt;
    take.analyser.getFloatTimeDomainData(take.frame);
    const level = meterLevel(take.frame);
    take.levels.push(level);
    this._level.set(level);
    this._elapsedMs.set(Math.min(elapsed, this.maxMs));
    if (elapsed >= this.maxMs) {
      void this.finish(take).then((recording) => recording && this.limit.next(recording));
    }
  }

  private async finish(take: Take): Promise<VoiceRecording | null> {
    this._state.set('processing');
    clearInterval(take.timer);
    const durationMs = Math.min(performance.now() - take.startedAt, this.maxMs);
    // 'stop' comes after the last 'dataavailable', so every chunk is in by then.
    await new Promise<void>((resolve) => {
      if (take.recorder.state === 'inactive') return resolve();
      take.recorder.onstop = () => resolve();
      take.recorder.stop();
    });
    // The mic goes off now, not after decoding: its indicator should not outlast the take.
    take.stream.getTracks().forEach((track) => track.stop());
    if (durationMs < MIN_VOICE_MS || this.take !== take) return this.discard(take);
    const blob = new Blob(take.chunks, { type: take.format.mimeType });
    const waveform = await this.waveformOf(blob, take);
    if (this.take !== take) return this.discard(take);
    this.release(take);
    this.take = null;
    this.reset();
    const { mimeType, extension } = take.format;
    const file = new File([blob], `voice-${Date.now()}.${extension}`, { type: mimeType });
    return { blob, mimeType, durationMs: Math.round(durationMs), waveform, file };
  }

  private async waveformOf(blob: Blob, take: Take): Promise<number[]> {
    try {
      const audio = await take.context.decodeAudioData(await blob.arrayBuffer());
      return barsFromSamples(audio.getChannelData(0));
    } catch {
      // Some browsers can't decode the WebM their own MediaRecorder wrote.
      return resample(take.levels);
    }
  }

  private discard(take: Take): null {
    this.release(take);
    if (this.take === take) {
      this.take = null;
      this.reset();
    }
    return null;
  }

  private release(take: Take): void {
    if (take.released) return;
    take.released = true;
    clearInterval(take.timer);
    take.stream.getTracks().forEach((track) => track.stop());
    void take.context.close();
  }

  private reset(): void {
    this._state.set('idle');
    this._elapsedMs.set(0);
    this._level.set(0);
  }
}
