import {
  BadRequestException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type {
  AttachmentView,
  DocumentMimeType,
  EncryptedMimeType,
  ImageMimeType,
  UploadMimeType,
  UploadView,
  VoiceMimeType,
} from '@chat/shared-dto';
import { ENCRYPTED_MIME_TYPE } from '@chat/shared-dto';
import type { Readable } from 'node:stream';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { sniffDocument } from './document-sniffer';
import { sanitiseFileName } from './file-name';
import { ByteRange, FILE_STORAGE, FileStorage, RangeResolver } from './file-storage';
import { ImageProcessor } from './image-processor';
import { sniffImageType } from './image-sniffer';
import { byteLimitText } from './multer-options';
import { newUploadNames, originalNameFromUrl, parseUploadName, uploadUrl } from './upload-name';
import { UploadEntity } from './upload.entity';
import { UploadsRepository } from './uploads.repository';
import { probeVoice } from './voice-probe';

/** A stored file ready to be streamed, with the type the API encoded or recognised. */
export interface ServedFile {
  /** The storage key. */
  key: string;
  kind: AttachmentView['kind'];
  /** The download name of a document (sanitised when it was stored). */
  downloadName: string;
  mimeType: UploadMimeType;
  /** Bytes of the whole object, whatever range is streamed. */
  size: number;
  stream: Readable;
  /** The bytes streamed, when a range was asked for and satisfiable. */
  range?: ByteRange;
}

type NewRow = Omit<UploadEntity, 'id' | 'createdAt'>;

/** The view of a stored upload: what `POST /api/upload` answers and a message carries. */
function attachmentOf(row: NewRow): AttachmentView {
  const view: AttachmentView = {
    url: uploadUrl(row.originalKey),
    kind: row.kind,
    name: row.name ?? row.originalKey,
    size: row.size,
    mimeType: row.mimeType,
  };
  if (row.kind === 'image' && row.thumbnailKey && row.width && row.height) {
    Object.assign(view, {
      thumbnailUrl: uploadUrl(row.thumbnailKey),
      width: row.width,
      height: row.height,
    });
  }
  if (row.kind === 'voice' && row.durationMs) {
    view.durationMs = row.durationMs;
    if (row.waveform) view.waveform = row.waveform;
  }
  return view;
}

@Injectable()
export class UploadsService {
  private readonly logger = new Logger(UploadsService.name);

  constructor(
    private readonly uploads: UploadsRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly images: ImageProcessor,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'upload'>,
  ) {}

  /**
   * Accepts the bytes of one upload, recognised from the bytes only (never the name or the
   * client's type): an image is re-encoded with a thumbnail, a voice recording or a document
   * stored as sent (a recording with the duration read from its media data); all
   * under fresh random names, recorded as `ownerId`'s with the sanitised `originalName`.
   */
  async store(
    ownerId: string,
    bytes: Buffer,
    originalName?: string,
    waveform?: number[],
  ): Promise<UploadView> {
    if (bytes.length === 0) throw new BadRequestException('The file is empty');
    const image = sniffImageType(bytes);
    const voice = image ? null : await this.storeVoice(ownerId, bytes, originalName, waveform);
    if (voice) return voice;
    if (waveform) throw new BadRequestException('waveform is only for voice recordings');
    if (!image) return this.storeDocument(ownerId, bytes, originalName);
    if (bytes.length > this.config.upload.maxFileSize) {
      throw new PayloadTooLargeException(
        `The image is larger than ${byteLimitText(this.config.upload.maxFileSize)}`,
      );
    }
    return this.storeImage(ownerId, bytes, image, originalName);
  }

  /**
   * A file the client encrypted for an end-to-end encrypted conversation: random bytes to us,
   * stored as sent. Its type, name and key travel inside the encrypted message.
   */
  async storeEncrypted(ownerId: string, bytes: Buffer): Promise<UploadView> {
    if (bytes.length === 0) throw new BadRequestException('The file is empty');
    return this.storeFileAsSent(ownerId, bytes, ENCRYPTED_MIME_TYPE, 'encrypted');
  }

  private async storeImage(
    ownerId: string,
    bytes: Buffer,
    sniffed: ImageMimeType,
    originalName: string | undefined,
  ): Promise<UploadView> {
    const { original, thumbnail } = await this.images.process(bytes, sniffed);
    const names = newUploadNames(original.mimeType);

    const row: NewRow = {
      ownerId,
      kind: 'image',
      name: sanitiseFileName(originalName, `image.${names.original.split('.').pop()}`),
      originalKey: names.original,
      thumbnailKey: names.thumbnail,
      mimeType: original.mimeType,
      width: original.width,
      height: original.height,
      durationMs: null,
      waveform: null,
      size: original.data.length,
    };
    await this.persist(row, [
      [names.original, original.data, original.mimeType],
      [names.thumbnail, thumbnail.data, thumbnail.mimeType],
    ]);
    return attachmentOf(row);
  }

  private async storeDocument(
    ownerId: string,
    bytes: Buffer,
    originalName: string | undefined,
  ): Promise<UploadView> {
    const verdict = await sniffDocument(bytes);
    if (!verdict.ok && verdict.reason === 'bomb') {
      throw new BadRequestException('The archive declares too many or too large entries');
    }
    if (!verdict.ok) {
      throw new UnsupportedMediaTypeException(
        'Accepted: JPEG, PNG, GIF and WebP images; PDF, plain text, CSV, zip, Office and ' +
          'OpenDocument files; voice recordings (opus, AAC, MP3)',
      );
    }
    return this.storeFileAsSent(ownerId, bytes, verdict.mimeType, originalName);
  }

  /** A `kind: 'file'` upload stored byte for byte: a document, or a client-encrypted file. */
  private async storeFileAsSent(
    ownerId: string,
    bytes: Buffer,
    mimeType: DocumentMimeType | EncryptedMimeType,
    originalName: string | undefined,
  ): Promise<UploadView> {
    const names = newUploadNames(mimeType);
    const row: NewRow = {
      ownerId,
      kind: 'file',
      name: sanitiseFileName(originalName, `file.${names.original.split('.').pop()}`),
      originalKey: names.original,
      thumbnailKey: null,
      mimeType,
      width: null,
      height: null,
      durationMs: null,
      waveform: null,
      size: bytes.length,
    };
    await this.persist(row, [[names.original, bytes, mimeType]]);
    return attachmentOf(row);
  }

  /** A recording, or `null` when the bytes are not audio (then they may be a document). */
  private async storeVoice(
    ownerId: string,
    bytes: Buffer,
    originalName: string | undefined,
    waveform: number[] | undefined,
  ): Promise<UploadView | null> {
    const verdict = await probeVoice(bytes);
    if (!verdict) return null;
    if (!verdict.ok && verdict.reason === 'unsupported-codec') {
      throw new UnsupportedMediaTypeException(
        'Accepted recordings: opus in WebM or Ogg, AAC or opus in MP4, and MP3, audio only',
      );
    }
    if (!verdict.ok) throw new BadRequestException('The recording is damaged or empty');
    const maxMs = this.config.upload.maxVoiceSeconds * 1000;
    if (verdict.durationMs > maxMs) {
      throw new BadRequestException(
        `The recording lasts ${Math.round(verdict.durationMs / 1000)} s; at most ` +
          `${this.config.upload.maxVoiceSeconds} s are accepted`,
      );
    }
    const mimeType: VoiceMimeType = verdict.mimeType;
    const names = newUploadNames(mimeType);
    const row: NewRow = {
      ownerId,
      kind: 'voice',
      name: sanitiseFileName(originalName, `voice.${names.original.split('.').pop()}`),
      originalKey: names.original,
      thumbnailKey: null,
      mimeType,
      width: null,
      height: null,
      durationMs: verdict.durationMs,
      waveform: waveform ?? null,
      size: bytes.length,
    };
    await this.persist(row, [[names.original, bytes, mimeType]]);
    return attachmentOf(row);
  }

  /** Writes the objects, then the row; on any failure removes what was written. */
  private async persist(row: NewRow, objects: [string, Buffer, string][]): Promise<void> {
    const written: string[] = [];
    try {
      for (const [key, data, type] of objects) {
        await this.storage.put(key, data, type);
        written.push(key);
      }
      await this.uploads.insert(row);
    } catch (err) {
      // Files without a row would be unreachable through the API's ownership rules: drop them.
      await Promise.all(written.map((key) => this.storage.delete(key).catch(() => undefined)));
      throw err;
    }
    this.logger.log(
      `stored upload ${row.originalKey} (${row.mimeType}, ${row.size} B) for ${row.ownerId}`,
    );
  }

  /**
   * The stored file called `name`, for `GET /api/uploads/:name`, when `requesterId` may read
   * it (`UploadsRepository.readableBy`). Anyone else gets the same 404 as for a missing file,
   * so the answer does not even confirm that the name exists.
   */
  async open(name: string, requesterId: string, range?: RangeResolver): Promise<ServedFile> {
    const parsed = parseUploadName(name);
    const upload = parsed ? await this.uploads.findReadable(parsed.name, requesterId) : null;
    const stored = parsed && upload ? await this.storage.get(parsed.name, range) : null;
    if (!parsed || !upload || !stored) throw new NotFoundException('No such upload');
    return {
      key: parsed.name,
      kind: parsed.isThumbnail ? 'image' : upload.kind,
      downloadName: upload.name ?? parsed.name,
      mimeType: parsed.mimeType,
      size: stored.size,
      stream: stored.stream,
      range: stored.range,
    };
  }

  /** What messages carrying these URLs show of their files, by URL (unknown ones left out). */
  async attachmentsOf(fileUrls: string[]): Promise<Map<string, AttachmentView>> {
    const keys = fileUrls.map(originalNameFromUrl).filter((k): k is string => k !== null);
    const rows = keys.length > 0 ? await this.uploads.findByOriginalKeys(keys) : [];
    return new Map(rows.map((row) => [uploadUrl(row.originalKey), attachmentOf(row)]));
  }

  /**
   * Removes a file that no message shows any more (its message was deleted): the stored
   * original, its thumbnail and the record, so the URL answers 404 from now on.
   */
  async discard(fileUrl: string): Promise<void> {
    const name = originalNameFromUrl(fileUrl);
    const upload = name ? await this.uploads.findByOriginalKey(name) : null;
    if (!upload) return;
    await this.uploads.delete(upload.id);
    await Promise.all(
      [upload.originalKey, upload.thumbnailKey]
        .filter((key): key is string => key !== null)
        .map((key) => this.storage.delete(key)),
    );
    this.logger.log(`discarded upload ${upload.originalKey}`);
  }

  /**
   * For attachment messages: the upload behind `fileUrl` when it is exactly a `url` that
   * `POST /api/upload` returned to `userId`, of the `kind` the message type names, else `null`
   * (someone else's file, a thumbnail URL, a foreign host, or anything made up).
   */
  async findOwnedAttachment(
    userId: string,
    fileUrl: string,
    kind: UploadEntity['kind'],
  ): Promise<AttachmentView | null> {
    const upload = await this.findOwned(userId, fileUrl, kind);
    return upload ? attachmentOf(upload) : null;
  }

  private async findOwned(
    userId: string,
    fileUrl: string,
    kind: UploadEntity['kind'],
  ): Promise<UploadEntity | null> {
    if (typeof fileUrl !== 'string') return null;
    const name = originalNameFromUrl(fileUrl);
    const upload = name ? await this.uploads.findOwned(name, userId) : null;
    return upload?.kind === kind ? upload : null;
  }
}
