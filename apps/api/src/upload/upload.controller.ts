import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiConsumes,
  ApiQuery,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { UploadView } from '@chat/shared-dto';
import type { Response } from 'express';
import { AuthUser } from '../core/auth/auth-user';
import { CurrentUser } from '../core/auth/current-user.decorator';
import { SessionCookieAuth } from '../core/auth/session-cookie-auth.decorator';
import { attachmentDisposition } from './file-name';
import { rangeResolver, RangeNotSatisfiable } from './byte-range';
import { FileTooLargeInterceptor } from './file-too-large.interceptor';
import { UploadRateLimitGuard } from './upload-rate-limit.guard';
import { UploadFields } from './upload-fields.dto';
import { UploadResponse } from './upload.response';
import { UploadsService } from './uploads.service';
import { parseWaveform } from './waveform';

/** What multer's memory storage hands over (limits: see `multer-options.ts`). */
interface ReceivedFile {
  buffer: Buffer;
  size: number;
  /** As busboy decoded it: latin1, whatever the client meant. */
  originalname?: string;
}

/** Browsers send UTF-8 file names, which busboy hands over read as latin1. */
function utf8Name(latin1: string | undefined): string | undefined {
  if (latin1 === undefined) return undefined;
  const bytes = Buffer.from(latin1, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return latin1;
  }
}

/**
 * Headers of every served file. The bytes are images the API encoded itself, but they are
 * still user content on the API's origin: the browser must take them as the declared image
 * type (nosniff), never run anything (a sandboxed CSP with no script source) and may cache them
 * for a while, since a name never gets new content; `private`, since an answer depends on who
 * asked and no shared cache may hand it to someone else.
 */
const IMAGE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'private, max-age=86400, immutable',
  'Content-Security-Policy':
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
  'Accept-Ranges': 'bytes',
} as const;

/**
 * Documents are stored as sent, so a PDF may also be HTML and a zip may carry scripts: they
 * are only ever downloads (`Content-Disposition: attachment`), of the recognised type
 * (nosniff), and should a browser render one anyway, the sandbox lets nothing run.
 */
const DOCUMENT_HEADERS = {
  ...IMAGE_HEADERS,
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
} as const;

@ApiTags('upload')
@Controller()
export class UploadController {
  constructor(private readonly uploads: UploadsService) {}

  @Post('upload')
  @UseGuards(UploadRateLimitGuard)
  // Outer first: the size message wraps multer's 413.
  @UseInterceptors(FileTooLargeInterceptor, FileInterceptor('file'))
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Upload an image, a document or a voice recording for an attachment message',
    description:
      'Recognised by content, never by name or declared type. Images (JPEG, PNG, GIF, WebP, up ' +
      'to MAX_FILE_SIZE) are re-encoded (metadata removed, EXIF orientation applied) with a ' +
      'thumbnail. Documents (PDF, text, CSV, zip, Office, OpenDocument) and voice recordings ' +
      '(opus in WebM/Ogg, AAC or opus in MP4, MP3; up to MAX_VOICE_SECONDS as read from the ' +
      'media data) are stored as sent, up to MAX_ATTACHMENT_SIZE. Send the returned `url` as ' +
      '`fileUrl` of `message:send` with `type` = the returned `kind`. With `?encrypted=true` ' +
      '(end-to-end encrypted conversations) the bytes are a file the client encrypted: stored ' +
      'as sent, up to MAX_ATTACHMENT_SIZE, as `application/octet-stream` of kind `file`.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiQuery({
    name: 'encrypted',
    required: false,
    enum: ['true', 'false'],
    description: 'true: a file the client encrypted (end-to-end encrypted conversations)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'The file' },
        waveform: {
          type: 'string',
          description: 'Voice only: a JSON array of 64 levels in 0..1',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadResponse })
  @ApiBadRequestResponse({
    description:
      'No `file` field, an empty file, a damaged image or recording, an image over 40 ' +
      'megapixels, a zip bomb, a recording over MAX_VOICE_SECONDS or a malformed `waveform`',
  })
  @ApiUnauthorizedResponse({ description: 'No, invalid or expired token' })
  @ApiPayloadTooLargeResponse({
    description:
      'An image over MAX_FILE_SIZE (5 MiB) or any file over MAX_ATTACHMENT_SIZE (25 MiB)',
  })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Not an accepted image, document or recording (or a recording of another codec)',
  })
  @ApiTooManyRequestsResponse({ description: 'Too many uploads; see Retry-After' })
  async upload(
    @CurrentUser() user: AuthUser,
    @UploadedFile() file: ReceivedFile | undefined,
    @Body() fields: UploadFields,
    @Query('encrypted') encrypted?: string,
  ): Promise<UploadView> {
    if (!file) {
      throw new BadRequestException('Send the file as the multipart/form-data field "file"');
    }
    if (encrypted !== undefined && encrypted !== 'true' && encrypted !== 'false')
      throw new BadRequestException('encrypted must be true or false');
    if (encrypted === 'true') {
      if (fields.waveform)
        throw new BadRequestException('An encrypted file carries its waveform inside');
      return this.uploads.storeEncrypted(user.id, file.buffer);
    }
    const waveform = parseWaveform(fields.waveform);
    return this.uploads.store(user.id, file.buffer, utf8Name(file.originalname), waveform);
  }

  /**
   * `<img>` and `<audio>` cannot send a bearer token, so this route also takes the session
   * cookie. A URL alone grants nothing: the requester must be the uploader or a member of a
   * conversation where the file was sent. Not throttled: a chat page shows many images.
   */
  @Get('uploads/:name')
  @SessionCookieAuth()
  @SkipThrottle({ anon: true, user: true })
  @ApiBearerAuth()
  @ApiCookieAuth('chat_session')
  @ApiOperation({
    summary: 'The bytes of an upload or its thumbnail',
    description:
      'For its uploader and members of a conversation where a message carrying it was sent; ' +
      'authenticated by the bearer token or the `chat_session` cookie set at login.',
  })
  @ApiProduces('image/*', 'audio/*', 'application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiUnauthorizedResponse({ description: 'No, invalid or expired token or cookie' })
  @ApiNotFoundResponse({ description: 'No such upload, or not one the requester may read' })
  async serve(
    @CurrentUser() requester: AuthUser,
    @Param('name') name: string,
    @Headers('range') range: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.uploads.open(name, requester.id, rangeResolver(range)).catch((err) => {
      if (err instanceof RangeNotSatisfiable) res.set('Content-Range', `bytes */${err.size}`);
      throw err;
    });
    const image = file.kind === 'image';
    // A recording plays inline in an <audio>; it is as unexamined as a document otherwise.
    const inline = image || file.kind === 'voice';
    res.set(image ? IMAGE_HEADERS : DOCUMENT_HEADERS);
    if (file.range) {
      res
        .status(206)
        .set('Content-Range', `bytes ${file.range.start}-${file.range.end}/${file.size}`);
    }
    return new StreamableFile(file.stream, {
      type: file.mimeType.startsWith('text/') ? `${file.mimeType}; charset=utf-8` : file.mimeType,
      length: file.range ? file.range.end - file.range.start + 1 : file.size,
      // A stored key matched a strict pattern, so it is safe to quote as it is.
      disposition: inline
        ? `inline; filename="${file.key}"`
        : attachmentDisposition(file.downloadName),
    });
  }
}
