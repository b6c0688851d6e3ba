import type { VoiceMimeType } from '@chat/shared-dto';
import { createFile, MP4BoxBuffer, type ISOFile } from 'mp4box';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Decoder, Reader } from 'ts-ebml';
import { MAX_CONTAINER_ELEMENTS, PROBE_CHUNK_BYTES } from './upload.constants';

/** A recording the bytes prove to be of an accepted kind, with the length read from its data. */
export type VoiceVerdict =
  | { ok: true; mimeType: VoiceMimeType; durationMs: number }
  | { ok: false; mimeType: VoiceMimeType; reason: 'unsupported-codec' | 'damaged' };

/**
 * The audio container the bytes start with, from its signature alone. MP3 has no real
 * signature: an ID3 tag or an MPEG audio frame header; the parser then has to agree.
 */
export function sniffAudioContainer(bytes: Buffer): VoiceMimeType | null {
  if (bytes.length < 12) return null;
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return 'audio/webm';
  if (bytes.toString('latin1', 0, 4) === 'OggS') return 'audio/ogg';
  if (bytes.toString('latin1', 4, 8) === 'ftyp') return 'audio/mp4';
  if (bytes.toString('latin1', 0, 3) === 'ID3') return 'audio/mpeg';
  // Frame sync, MPEG version not "reserved", layer III.
  if (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x18) !== 0x08) {
    return (bytes[1] & 0x06) === 0x02 ? 'audio/mpeg' : null;
  }
  return null;
}

/**
 * Reads a recording of an accepted container: its codec, and its duration from the media data
 * itself, never from a header's claim (a 10-hour file may say it lasts 3 seconds): the last
 * block's time in WebM, the sample tables and fragments in MP4, the last page in Ogg, the
 * frames in MP3. `null` when the bytes are not audio at all.
 */
export async function probeVoice(bytes: Buffer): Promise<VoiceVerdict | null> {
  const mimeType = sniffAudioContainer(bytes);
  if (!mimeType) return null;
  // MP3's signature is weak: when its parser finds no frames, the bytes were never MP3.
  const notAudio =
    mimeType === 'audio/mpeg' ? null : ({ ok: false, mimeType, reason: 'damaged' } as const);
  try {
    const probe =
      mimeType === 'audio/webm'
        ? await probeWebm(bytes)
        : mimeType === 'audio/mp4'
          ? await probeMp4(bytes)
          : await probeWithMusicMetadata(bytes, mimeType);
    if (probe === 'unsupported-codec') return { ok: false, mimeType, reason: probe };
    if (!probe || !Number.isFinite(probe.seconds) || probe.seconds <= 0) return notAudio;
    return { ok: true, mimeType, durationMs: Math.round(probe.seconds * 1000) };
  } catch {
    return notAudio;
  }
}

type Probe = { seconds: number } | 'unsupported-codec' | null;

class TooManyElements extends Error {}

/**
 * WebM as browsers record it: opus, audio only, and usually no Duration element at all (the
 * recorder cannot know it up front), so ts-ebml's reader adds up cluster and block times. Fed
 * in chunks, so a file of a million tiny elements is refused before it fills the memory.
 */
async function probeWebm(bytes: Buffer): Promise<Probe> {
  const decoder = new Decoder();
  const reader = new Reader();
  reader.logging = false;
  let docType: unknown = null;
  const codecs: unknown[] = [];
  const trackTypes: unknown[] = [];
  let elements = 0;
  let blocks = 0;
  for (let start = 0; start < bytes.length; start += PROBE_CHUNK_BYTES) {
    const chunk = bytes.subarray(start, start + PROBE_CHUNK_BYTES);
    for (const element of decoder.decode(Uint8Array.from(chunk).buffer)) {
      if (++elements > MAX_CONTAINER_ELEMENTS) throw new TooManyElements();
      if (element.name === 'SimpleBlock' || element.name === 'Block') blocks++;
      reader.read(element);
      if (!('value' in element)) continue;
      if (element.name === 'DocType') docType = element.value;
      if (element.name === 'CodecID') codecs.push(element.value);
      if (element.name === 'TrackType') trackTypes.push(element.value);
    }
    await yieldToEventLoop();
  }
  reader.stop();
  if (docType !== 'webm' || trackTypes.length === 0 || blocks === 0) return null;
  const AUDIO_TRACK = 2;
  if (codecs.length === 0 || codecs.some((c) => c !== 'A_OPUS')) return 'unsupported-codec';
  if (trackTypes.some((t) => t !== AUDIO_TRACK)) return 'unsupported-codec';
  return { seconds: (reader.duration * reader.timestampScale) / 1e9 };
}

/**
 * MP4/M4A: AAC (Safari's recorder) or opus (Chrome's), audio tracks only. Recorders write
 * fragmented files whose header says nothing of the length, so the duration is the sum of the
 * sample tables plus every fragment's samples, in the track's own time scale.
 */
async function probeMp4(bytes: Buffer): Promise<Probe> {
  const file = createFile();
  for (let start = 0; start < bytes.length; start += PROBE_CHUNK_BYTES) {
    const chunk = MP4BoxBuffer.fromArrayBuffer(
      Uint8Array.from(bytes.subarray(start, start + PROBE_CHUNK_BYTES)).buffer,
      start,
    );
    file.appendBuffer(chunk);
    if (file.boxes.length + file.moofs.length > MAX_CONTAINER_ELEMENTS) throw new TooManyElements();
    await yieldToEventLoop();
  }
  file.flush();
  const traks = file.moov?.traks ?? [];
  if (traks.length === 0) return null;
  if (traks.some((trak) => trak.mdia?.hdlr?.handler !== 'soun')) return 'unsupported-codec';
  const codecs = traks.flatMap((trak) => trak.mdia.minf.stbl.stsd.entries.map((e) => e.type));
  if (codecs.some((codec) => codec !== 'mp4a' && codec !== 'Opus')) return 'unsupported-codec';
  return { seconds: Math.max(...traks.map((trak) => trackSeconds(file, trak))) };
}

type Trak = ISOFile['moov']['traks'][number];

function trackSeconds(file: ISOFile, trak: Trak): number {
  const trackId = trak.tkhd.track_id;
  const stts = trak.mdia.minf.stbl.stts;
  let units = 0;
  stts?.sample_counts.forEach((count, i) => (units += count * stts.sample_deltas[i]));
  const trex = file.moov.mvex?.trexs.find((t) => t.track_id === trackId);
  for (const moof of file.moofs) {
    for (const traf of moof.trafs) {
      if (traf.tfhd.track_id !== trackId) continue;
      // tfhd's default applies only when its flag says it is present; trex's otherwise.
      const TFHD_DEFAULT_DURATION = 0x08;
      const fallback =
        traf.tfhd.flags & TFHD_DEFAULT_DURATION
          ? traf.tfhd.default_sample_duration
          : (trex?.default_sample_duration ?? 0);
      // Never a loop over sample_count: a 32-bit field anyone can set to four billion.
      for (const trun of traf.truns) {
        units +=
          trun.sample_duration.length > 0
            ? trun.sample_duration.reduce((sum, d) => sum + d, 0)
            : trun.sample_count * fallback;
      }
    }
  }
  return units / trak.mdia.mdhd.timescale;
}

/**
 * Ogg (opus only) and MP3 through music-metadata, which reads Ogg's length from the last
 * page's granule position and, with `duration`, counts MP3's frames rather than trusting a
 * Xing header.
 */
async function probeWithMusicMetadata(bytes: Buffer, mimeType: VoiceMimeType): Promise<Probe> {
  const { parseBuffer } = await import('music-metadata');
  const { format } = await parseBuffer(
    bytes,
    { mimeType, size: bytes.length },
    {
      duration: true,
      skipCovers: true,
    },
  );
  if (format.hasVideo) return 'unsupported-codec';
  if (mimeType === 'audio/ogg' && format.codec !== 'Opus') return 'unsupported-codec';
  if (mimeType === 'audio/mpeg' && !/^MPEG [12](\.5)? Layer 3$/.test(format.codec ?? '')) {
    return null;
  }
  return format.duration === undefined ? null : { seconds: format.duration };
}
