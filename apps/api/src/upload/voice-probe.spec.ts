import {
  CHROMIUM_MP4,
  CHROMIUM_WEBM,
  mp3Recording,
  oggRecording,
  tenHourMp4,
  tenHourWebm,
  vorbisWebm,
} from '../../test/upload/voice-fixtures';
import { probeVoice, sniffAudioContainer } from './voice-probe';

describe('probeVoice', () => {
  it("reads a browser's WebM recording, which has no Duration element, from its blocks", async () => {
    expect(await probeVoice(CHROMIUM_WEBM)).toEqual({
      ok: true,
      mimeType: 'audio/webm',
      durationMs: 3000,
    });
  });

  it("sums a fragmented MP4's fragments, whose header says nothing of the length", async () => {
    const verdict = await probeVoice(CHROMIUM_MP4);
    expect(verdict).toMatchObject({ ok: true, mimeType: 'audio/mp4' });
    expect(verdict?.ok && verdict.durationMs).toBeGreaterThan(1500);
    expect(verdict?.ok && verdict.durationMs).toBeLessThan(2100);
  });

  it('reads Ogg opus from its last page and MP3 from its frames', async () => {
    expect(await probeVoice(oggRecording(4.5))).toEqual({
      ok: true,
      mimeType: 'audio/ogg',
      durationMs: 4500,
    });
    const mp3 = await probeVoice(mp3Recording(100));
    expect(mp3).toMatchObject({ ok: true, mimeType: 'audio/mpeg' });
    expect(mp3?.ok && mp3.durationMs).toBeGreaterThan(2500);
    expect(mp3?.ok && mp3.durationMs).toBeLessThan(2700);
  });

  it('finds the ten hours a small file holds, whatever its first clusters suggest', async () => {
    const webm = await probeVoice(tenHourWebm());
    expect(webm?.ok && webm.durationMs).toBeGreaterThan(35_000_000);
    const mp4 = await probeVoice(tenHourMp4());
    expect(mp4?.ok && mp4.durationMs).toBeGreaterThanOrEqual(36_000_000);
    const ogg = await probeVoice(oggRecording(36_000));
    expect(ogg?.ok && ogg.durationMs).toBe(36_000_000);
  });

  it('refuses other codecs in an accepted container', async () => {
    expect(await probeVoice(vorbisWebm())).toEqual({
      ok: false,
      mimeType: 'audio/webm',
      reason: 'unsupported-codec',
    });
    expect(await probeVoice(oggRecording(2, 'vorbis'))).toMatchObject({
      ok: false,
      reason: 'unsupported-codec',
    });
  });

  it('calls a recording cut before its first block damaged', async () => {
    const headerOnly = CHROMIUM_WEBM.subarray(
      0,
      CHROMIUM_WEBM.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75])),
    );
    expect(await probeVoice(headerOnly)).toMatchObject({ ok: false, reason: 'damaged' });
    expect(await probeVoice(CHROMIUM_MP4.subarray(0, 200))).toMatchObject({
      ok: false,
      reason: 'damaged',
    });
  });

  it('leaves anything that is not audio to the other sniffers', async () => {
    expect(await probeVoice(Buffer.from('%PDF-1.7\n'.repeat(4)))).toBeNull();
    expect(await probeVoice(Buffer.from('<html><script>alert(1)</script></html>'))).toBeNull();
    // Frame sync followed by garbage: not MP3 after all.
    expect(
      await probeVoice(Buffer.concat([Buffer.from([0xff, 0xfb]), Buffer.alloc(64, 7)])),
    ).toBeNull();
  });
});

describe('sniffAudioContainer', () => {
  it('knows the containers by their signatures only', () => {
    expect(sniffAudioContainer(CHROMIUM_WEBM)).toBe('audio/webm');
    expect(sniffAudioContainer(CHROMIUM_MP4)).toBe('audio/mp4');
    expect(sniffAudioContainer(oggRecording(1))).toBe('audio/ogg');
    expect(sniffAudioContainer(mp3Recording(1))).toBe('audio/mpeg');
    expect(sniffAudioContainer(Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00'))).toBe(
      'audio/mpeg',
    );
    expect(sniffAudioContainer(Buffer.from('MZ\x90\x00 not audio at all'))).toBeNull();
  });
});
