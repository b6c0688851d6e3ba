import { TestBed } from '@angular/core/testing';
import { MAX_VOICE_MS, VOICE_ERRORS, VoiceRecorderService } from './voice-recorder.service';
import type { VoiceRecording } from './voice-recorder.service';

class FakeRecorder {
  static supported = new Set<string>();
  static last: FakeRecorder | null = null;
  static isTypeSupported = (type: string) => FakeRecorder.supported.has(type);
  state: RecordingState = 'inactive';
  timeslice: number | undefined;
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  constructor(
    readonly stream: MediaStream,
    readonly options: MediaRecorderOptions,
  ) {
    FakeRecorder.last = this;
  }
  start(timeslice: number) {
    this.state = 'recording';
    this.timeslice = timeslice;
  }
  stop() {
    this.state = 'inactive';
    void Promise.resolve().then(() => {
      this.ondataavailable?.({ data: new Blob(['opus']) });
      this.onstop?.();
    });
  }
}

class FakeAudioContext {
  static last: FakeAudioContext | null = null;
  /** What the fake mic hears: every analyser frame is filled with it. */
  static input = 0;
  static decode: (data: ArrayBuffer) => Promise<AudioBuffer> = () =>
    Promise.reject(new Error('no decoder'));
  readonly close = jest.fn(() => Promise.resolve());
  readonly resume = jest.fn(() => Promise.resolve());
  constructor() {
    FakeAudioContext.last = this;
  }
  createAnalyser() {
    return {
      fftSize: 0,
      getFloatTimeDomainData: (frame: Float32Array) => frame.fill(FakeAudioContext.input),
    };
  }
  createMediaStreamSource() {
    return { connect: jest.fn() };
  }
  decodeAudioData(data: ArrayBuffer) {
    return FakeAudioContext.decode(data);
  }
}

// jsdom's Blob has no arrayBuffer(); the bytes don't matter to the fake decoder, only the size.
Blob.prototype.arrayBuffer ??= function (this: Blob) {
  return Promise.resolve(new ArrayBuffer(this.size));
};

const define = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, configurable: true, writable: true });

describe('VoiceRecorderService', () => {
  let track: { stop: jest.Mock };
  let getUserMedia: jest.Mock;
  let service: VoiceRecorderService;

  const flush = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };

  beforeEach(() => {
    jest.useFakeTimers();
    track = { stop: jest.fn() };
    getUserMedia = jest.fn(() => Promise.resolve({ getTracks: () => [track] }));
    FakeRecorder.supported = new Set(['audio/webm;codecs=opus', 'audio/mp4']);
    FakeRecorder.last = null;
    FakeAudioContext.last = null;
    FakeAudioContext.input = 0;
    FakeAudioContext.decode = () => Promise.reject(new Error('no decoder'));
    define(globalThis, 'MediaRecorder', FakeRecorder);
    define(globalThis, 'AudioContext', FakeAudioContext);
    define(navigator, 'mediaDevices', { getUserMedia });
    TestBed.configureTestingModule({ providers: [VoiceRecorderService] });
    service = TestBed.inject(VoiceRecorderService);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('records opus in WebM in 250 ms slices and hands back a named file and decoded bars', async () => {
    const pcm = new Float32Array(6400);
    pcm.fill(0.5, 3200);
    const decode = jest.fn((_data: ArrayBuffer) =>
      Promise.resolve({ getChannelData: () => pcm } as unknown as AudioBuffer),
    );
    FakeAudioContext.decode = decode;

    expect(await service.start()).toBe(true);
    expect(getUserMedia).toHaveBeenCalledWith({ audio: true });
    expect(service.state()).toBe('recording');
    expect(FakeRecorder.last?.options.mimeType).toBe('audio/webm;codecs=opus');
    expect(FakeRecorder.last?.timeslice).toBe(250);

    jest.advanceTimersByTime(1200);
    const recording = (await service.stop()) as VoiceRecording;

    expect(recording.mimeType).toBe('audio/webm');
    expect(recording.durationMs).toBe(1200);
    expect(recording.file.name).toMatch(/^voice-\d+\.webm$/);
    expect(recording.file.type).toBe('audio/webm');
    expect(recording.blob.size).toBeGreaterThan(0);
    expect(decode.mock.calls[0][0].byteLength).toBe(recording.blob.size);
    expect(recording.waveform).toHaveLength(64);
    expect(recording.waveform.slice(0, 32).every((level) => level === 0)).toBe(true);
    expect(recording.waveform.slice(32).every((level) => level === 1)).toBe(true);
    expect(track.stop).toHaveBeenCalled();
    expect(FakeAudioContext.last?.close).toHaveBeenCalledTimes(1);
    expect(service.state()).toBe('idle');
    expect(service.elapsedMs()).toBe(0);
  });

  it('records AAC in MP4 where opus is not supported (Safari), named .m4a', async () => {
    FakeRecorder.supported = new Set(['audio/mp4']);
    await service.start();
    jest.advanceTimersByTime(1000);
    const recording = (await service.stop()) as VoiceRecording;
    expect(FakeRecorder.last?.options.mimeType).toBe('audio/mp4');
    expect(recording.file.name).toMatch(/^voice-\d+\.m4a$/);
    expect(recording.mimeType).toBe('audio/mp4');
  });

  it('shows elapsed time and the live level, and falls back to them when decoding fails', async () => {
    FakeAudioContext.input = 10 ** (-30 / 20);
    await service.start();
    jest.advanceTimersByTime(300);
    expect(service.elapsedMs()).toBe(300);
    expect(service.level()).toBeCloseTo(0.5, 5);

    jest.advanceTimersByTime(700);
    const recording = (await service.stop()) as VoiceRecording;
    expect(recording.waveform).toEqual(new Array(64).fill(1));
    expect(service.level()).toBe(0);
  });

  it('throws away a take shorter than half a second, mic off all the same', async () => {
    await service.start();
    jest.advanceTimersByTime(400);
    expect(await service.stop()).toBeNull();
    expect(track.stop).toHaveBeenCalled();
    expect(FakeAudioContext.last?.close).toHaveBeenCalled();
    expect(service.state()).toBe('idle');
  });

  it('explains a denied permission and records nothing', async () => {
    getUserMedia.mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    expect(await service.start()).toBe(false);
    expect(service.error()).toBe(
      "Microphone access was denied. Allow it in the browser's site settings to record voice messages.",
    );
    expect(service.state()).toBe('idle');
    expect(FakeRecorder.last).toBeNull();
  });

  it('explains a missing microphone and an unsupported browser', async () => {
    getUserMedia.mockRejectedValue(new DOMException('none', 'NotFoundError'));
    await service.start();
    expect(service.error()).toBe(VOICE_ERRORS.noDevice);

    FakeRecorder.supported = new Set();
    await service.start();
    expect(service.error()).toBe(VOICE_ERRORS.unsupported);
    expect(getUserMedia).toHaveBeenCalledTimes(1);
  });

  it('stops by itself at maxMs and delivers the take on limitReached', async () => {
    expect(service.maxMs).toBe(MAX_VOICE_MS);
    service.maxMs = 2000;
    const reached: VoiceRecording[] = [];
    service.limitReached.subscribe((recording) => reached.push(recording));
    await service.start();

    jest.advanceTimersByTime(2000);
    expect(service.state()).toBe('processing');
    expect(await service.stop()).toBeNull();
    await flush();

    expect(reached).toHaveLength(1);
    expect(reached[0].durationMs).toBe(2000);
    expect(track.stop).toHaveBeenCalled();
    expect(service.state()).toBe('idle');
  });

  it('cancel discards the take and turns the mic off', async () => {
    await service.start();
    jest.advanceTimersByTime(1000);
    service.cancel();
    expect(track.stop).toHaveBeenCalled();
    expect(FakeRecorder.last?.state).toBe('inactive');
    expect(FakeAudioContext.last?.close).toHaveBeenCalled();
    expect(service.state()).toBe('idle');
    expect(await service.stop()).toBeNull();
  });

  it('turns off a mic granted after the request was cancelled', async () => {
    let grant: (stream: unknown) => void = () => undefined;
    getUserMedia.mockReturnValue(new Promise((resolve) => (grant = resolve)));
    const started = service.start();
    expect(service.state()).toBe('requesting');
    service.cancel();
    grant({ getTracks: () => [track] });
    expect(await started).toBe(false);
    expect(track.stop).toHaveBeenCalled();
    expect(FakeRecorder.last).toBeNull();
    expect(service.state()).toBe('idle');
  });

  it('turns the mic off when its injector is destroyed', async () => {
    await service.start();
    TestBed.resetTestingModule();
    expect(track.stop).toHaveBeenCalled();
    expect(FakeAudioContext.last?.close).toHaveBeenCalled();
  });
});
