import { TestBed } from '@angular/core/testing';
import type { ComponentFixture } from '@angular/core/testing';
import { VoicePlayerComponent } from './voice-player.component';

describe('VoicePlayerComponent', () => {
  let play: jest.SpyInstance;
  let pause: jest.SpyInstance;

  beforeEach(() => {
    // jsdom implements neither; the component only needs them to resolve and to be called.
    play = jest.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue();
    pause = jest.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
    Element.prototype.setPointerCapture = jest.fn();
  });

  afterEach(() => jest.restoreAllMocks());

  async function render(
    inputs: { durationMs?: number; waveform?: number[] | null; own?: boolean } = {},
  ): Promise<ComponentFixture<VoicePlayerComponent>> {
    const fixture = TestBed.createComponent(VoicePlayerComponent);
    fixture.componentRef.setInput('src', '/api/files/voice-1.webm');
    fixture.componentRef.setInput('durationMs', inputs.durationMs ?? 10_000);
    fixture.componentRef.setInput('waveform', inputs.waveform ?? null);
    fixture.componentRef.setInput('own', inputs.own ?? false);
    await fixture.whenStable();
    return fixture;
  }

  const el = (fixture: ComponentFixture<VoicePlayerComponent>, testid: string) =>
    (fixture.nativeElement as HTMLElement).querySelector(
      `[data-testid="${testid}"]`,
    ) as HTMLElement;
  const audio = (fixture: ComponentFixture<VoicePlayerComponent>) =>
    (fixture.nativeElement as HTMLElement).querySelector('audio') as HTMLAudioElement;
  const text = (fixture: ComponentFixture<VoicePlayerComponent>, testid: string) =>
    el(fixture, testid).textContent?.trim();
  const bars = (fixture: ComponentFixture<VoicePlayerComponent>) => [
    ...el(fixture, 'voice-waveform').querySelectorAll<HTMLElement>('.bar'),
  ];
  const played = (fixture: ComponentFixture<VoicePlayerComponent>) =>
    bars(fixture).filter((bar) => bar.classList.contains('played')).length;

  it('toggles between play and pause, labelled for each', async () => {
    const fixture = await render();
    const button = el(fixture, 'voice-play');
    expect(button.getAttribute('aria-label')).toBe('Play voice message');
    expect(audio(fixture).getAttribute('preload')).toBe('metadata');

    button.click();
    await fixture.whenStable();
    expect(play).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-label')).toBe('Pause');

    button.click();
    await fixture.whenStable();
    expect(pause).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-label')).toBe('Play voice message');
  });

  it('goes back to play when the browser refuses to play', async () => {
    play.mockRejectedValue(new DOMException('no', 'NotAllowedError'));
    const fixture = await render();
    el(fixture, 'voice-play').click();
    await fixture.whenStable();
    expect(el(fixture, 'voice-play').getAttribute('aria-label')).toBe('Play voice message');
  });

  it('cycles the speed 1× → 1.5× → 2× → 1× and sets the playback rate', async () => {
    const fixture = await render();
    const speed = el(fixture, 'voice-speed');
    const seen: [string | undefined, number][] = [];
    for (let i = 0; i < 3; i++) {
      speed.click();
      await fixture.whenStable();
      seen.push([speed.textContent?.trim(), audio(fixture).playbackRate]);
    }
    expect(seen).toEqual([
      ['1.5×', 1.5],
      ['2×', 2],
      ['1×', 1],
    ]);
  });

  it('seeks to where the waveform is clicked, trusting durationMs over an unknown duration', async () => {
    const fixture = await render({ durationMs: 10_000 });
    const wave = el(fixture, 'voice-waveform');
    jest
      .spyOn(wave, 'getBoundingClientRect')
      .mockReturnValue({ left: 100, width: 200, top: 0, height: 24 } as DOMRect);
    expect(Number.isFinite(audio(fixture).duration)).toBe(false);

    wave.dispatchEvent(new MouseEvent('pointerdown', { clientX: 200, bubbles: true }));
    await fixture.whenStable();

    expect(audio(fixture).currentTime).toBe(10_000 / 2000);
    expect(played(fixture)).toBe(32);
    expect(wave.getAttribute('aria-valuenow')).toBe('5');
    expect(wave.getAttribute('aria-valuemax')).toBe('10');
    expect(text(fixture, 'voice-time')).toBe('0:05');
  });

  it('drags to seek while the pointer is down, and only then', async () => {
    const fixture = await render({ durationMs: 8000 });
    const wave = el(fixture, 'voice-waveform');
    jest.spyOn(wave, 'getBoundingClientRect').mockReturnValue({ left: 0, width: 100 } as DOMRect);
    const pointer = (type: string, clientX: number) =>
      wave.dispatchEvent(new MouseEvent(type, { clientX, bubbles: true }));

    pointer('pointermove', 50);
    expect(audio(fixture).currentTime).toBe(0);
    pointer('pointerdown', 10);
    pointer('pointermove', 75);
    expect(audio(fixture).currentTime).toBe(6);
    pointer('pointermove', 500);
    expect(audio(fixture).currentTime).toBe(8);
    pointer('pointerup', 500);
    pointer('pointermove', 25);
    expect(audio(fixture).currentTime).toBe(8);
  });

  it('is a slider the arrow keys move by 5 seconds', async () => {
    const fixture = await render({ durationMs: 12_000 });
    const wave = el(fixture, 'voice-waveform');
    const key = (name: string) =>
      wave.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
    expect(wave.getAttribute('role')).toBe('slider');
    expect(wave.tabIndex).toBe(0);

    key('ArrowRight');
    key('ArrowRight');
    await fixture.whenStable();
    expect(audio(fixture).currentTime).toBe(10);
    expect(wave.getAttribute('aria-valuenow')).toBe('10');
    expect(wave.getAttribute('aria-valuetext')).toBe('0:10 of 0:12');

    key('ArrowRight');
    expect(audio(fixture).currentTime).toBe(12);
    key('ArrowLeft');
    expect(audio(fixture).currentTime).toBe(7);
    key('Home');
    expect(audio(fixture).currentTime).toBe(0);
  });

  it('shows the length at rest and returns to the start when it ends', async () => {
    const fixture = await render({ durationMs: 65_400 });
    expect(text(fixture, 'voice-time')).toBe('1:05');

    el(fixture, 'voice-play').click();
    audio(fixture).currentTime = 30;
    audio(fixture).dispatchEvent(new Event('ended'));
    await fixture.whenStable();

    expect(audio(fixture).currentTime).toBe(0);
    expect(played(fixture)).toBe(0);
    expect(text(fixture, 'voice-time')).toBe('1:05');
    expect(el(fixture, 'voice-play').getAttribute('aria-label')).toBe('Play voice message');
  });

  it('draws 64 flat low bars without a waveform, and the levels when there is one', async () => {
    const flat = await render({ waveform: null });
    const heights = bars(flat).map((bar) => bar.style.height);
    expect(heights).toHaveLength(64);
    expect(new Set(heights)).toEqual(new Set(['10%']));

    const levels = Array.from({ length: 64 }, (_, i) => (i < 32 ? 0.5 : 1));
    const shaped = await render({ waveform: levels });
    expect(bars(shaped)[0].style.height).toBe('50%');
    expect(bars(shaped)[63].style.height).toBe('100%');
  });

  it('plays one voice message at a time: starting a second pauses the first', async () => {
    const first = await render();
    const second = await render();
    el(first, 'voice-play').click();
    await first.whenStable();
    expect(pause).not.toHaveBeenCalled();

    el(second, 'voice-play').click();
    await first.whenStable();
    await second.whenStable();

    expect(pause.mock.contexts).toEqual([audio(first)]);
    expect(el(first, 'voice-play').getAttribute('aria-label')).toBe('Play voice message');
    expect(el(second, 'voice-play').getAttribute('aria-label')).toBe('Pause');
  });

  it('marks the own-bubble colour variant', async () => {
    const fixture = await render({ own: true });
    expect((fixture.nativeElement as HTMLElement).classList).toContain('own');
  });
});
