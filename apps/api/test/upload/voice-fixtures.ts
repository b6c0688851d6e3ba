import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Chromium's MediaRecorder output (fake microphone): opus in WebM, 3 s; opus in fragmented MP4, 1.7 s. */
export const CHROMIUM_WEBM = readFileSync(join(__dirname, 'recordings/chromium-3s.webm'));
export const CHROMIUM_MP4 = readFileSync(join(__dirname, 'recordings/chromium-2s.m4a'));

const TEN_HOURS_MS = 10 * 3600 * 1000;

/**
 * The recording plus one more cluster stamped at ten hours: still a 40 KB file, whose data
 * (not any header) says it lasts ten hours.
 */
export function tenHourWebm(): Buffer {
  const UNKNOWN_SIZE = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  const cluster = Buffer.concat([Buffer.from([0x1f, 0x43, 0xb6, 0x75]), UNKNOWN_SIZE]);
  const timestamp = Buffer.alloc(6);
  timestamp.writeUInt16BE(0xe784, 0); // Timestamp, 4 bytes of value
  timestamp.writeUInt32BE(TEN_HOURS_MS, 2);
  // A SimpleBlock of track 1 at relative time 0 with a 3-byte opus frame.
  const block = Buffer.from([0xa3, 0x87, 0x81, 0x00, 0x00, 0x80, 0xfc, 0xff, 0xfe]);
  return Buffer.concat([CHROMIUM_WEBM, cluster, timestamp, block]);
}

/** The recording with its codec renamed: a WebM of Vorbis, which is not taken. */
export function vorbisWebm(): Buffer {
  const bytes = Buffer.from(CHROMIUM_WEBM);
  const at = bytes.indexOf('A_OPUS');
  bytes.write('A_VORB', at, 'latin1');
  return bytes;
}

/** The MP4 recording whose first fragment's first sample is stretched to ten hours. */
export function tenHourMp4(): Buffer {
  const bytes = Buffer.from(CHROMIUM_MP4);
  const trun = bytes.indexOf('trun');
  // Chromium writes trun flags 0x301: data offset, then per sample duration and size.
  if ((bytes.readUInt32BE(trun + 4) & 0xffffff) !== 0x301) throw new Error('unexpected trun');
  bytes.writeUInt32BE(48_000 * 36_000, trun + 16);
  return bytes;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  return c >>> 0;
});

function oggCrc(page: Buffer): number {
  let crc = 0;
  for (const byte of page) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  return crc;
}

function oggPage(packet: Buffer, granule: bigint, sequence: number, flags: number): Buffer {
  const segments: number[] = [];
  for (let left = packet.length; ; left -= 255) {
    segments.push(Math.min(left, 255));
    if (left < 255) break;
  }
  const header = Buffer.alloc(27 + segments.length);
  header.write('OggS', 0, 'latin1');
  header[5] = flags;
  header.writeBigUInt64LE(granule, 6);
  header.writeUInt32LE(0x5eed, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = segments.length;
  segments.forEach((s, i) => (header[27 + i] = s));
  const page = Buffer.concat([header, packet]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/**
 * An Ogg stream of `codec` whose last page stands at `seconds`: Opus (or Vorbis, refused)
 * headers, then pages of tiny silent packets, one per second.
 */
export function oggRecording(seconds: number, codec: 'opus' | 'vorbis' = 'opus'): Buffer {
  const head =
    codec === 'opus'
      ? Buffer.concat([
          Buffer.from('OpusHead', 'latin1'),
          Buffer.from([1, 1, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0]),
        ])
      : Buffer.concat([
          Buffer.from('\x01vorbis', 'latin1'),
          Buffer.from([
            0, 0, 0, 0, 1, 0x80, 0xbb, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xb8, 1,
          ]),
        ]);
  const tags = Buffer.concat([
    Buffer.from(codec === 'opus' ? 'OpusTags' : '\x03vorbis', 'latin1'),
    Buffer.from([4, 0, 0, 0]),
    Buffer.from('test', 'latin1'),
    Buffer.from([0, 0, 0, 0]),
    ...(codec === 'vorbis' ? [Buffer.from([1])] : []),
  ]);
  const pages = [oggPage(head, 0n, 0, 0x02), oggPage(tags, 0n, 1, 0)];
  const PRE_SKIP = 312;
  for (let s = 1; s <= Math.ceil(seconds); s++) {
    const granule = BigInt(Math.round(Math.min(s, seconds) * 48_000) + PRE_SKIP);
    const last = s === Math.ceil(seconds);
    pages.push(oggPage(Buffer.from([0xf8, 0xff, 0xfe]), granule, s + 1, last ? 0x04 : 0));
  }
  return Buffer.concat(pages);
}

/** `frames` silent MPEG-1 layer III frames, 128 kb/s at 44.1 kHz: 26.1 ms each. */
export function mp3Recording(frames: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.writeUInt32BE(0xfffb9000, 0);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}
