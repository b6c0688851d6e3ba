import {
  BadRequestException,
  Controller,
  Get,
  Param,
  Post,
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
import { FileTooLargeInterceptor } from './file-too-large.interceptor';
import { UploadRateLimitGuard } from './upload-rate-limit.guard';
import { UploadResponse } from './upload.response';
import { UploadsService } from './uploads.service';

/** What multer's memory storage hands over (limits: see `multer-options.ts`). */
interface ReceivedFile {
  buffer: Buffer;
  size: number;
}

/**
 * Headers of every served file. The bytes are images the API encoded itself, but they are
 * still user content on the API's origin: the browser must take them as the declared image
 * type (nosniff), never run anything (a sandboxed CSP with no script source) and may cache them
 * for a while, since a name never gets new content; `private`, since an answer depends on who
 * asked and no shared cache may hand it to someone else.
 */
const SERVE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'private, max-age=86400, immutable',
  'Content-Security-Policy':
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
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
    summary: 'Upload an image for an image message',
    description:
      'JPEG, PNG, GIF (animated too) or WebP, recognised by content. The image is re-encoded ' +
      '(metadata removed, EXIF orientation applied) and a thumbnail made. Send the returned `url` ' +
      'as `fileUrl` of `message:send` with `type: "image"`.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'The image, up to MAX_FILE_SIZE bytes',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadResponse })
  @ApiBadRequestResponse({
    description: 'No `file` field, a damaged image or one over 40 megapixels',
  })
  @ApiUnauthorizedResponse({ description: 'No, invalid or expired token' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than MAX_FILE_SIZE (5 MiB by default)' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Not a JPEG, PNG, GIF or WebP image' })
  @ApiTooManyRequestsResponse({ description: 'Too many uploads; see Retry-After' })
  async upload(
    @CurrentUser() user: AuthUser,
    @UploadedFile() file: ReceivedFile | undefined,
  ): Promise<UploadView> {
    if (!file) {
      throw new BadRequestException('Send the image as the multipart/form-data field "file"');
    }
    return this.uploads.store(user.id, file.buffer);
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
  @ApiProduces('image/jpeg', 'image/png', 'image/gif', 'image/webp')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiUnauthorizedResponse({ description: 'No, invalid or expired token or cookie' })
  @ApiNotFoundResponse({ description: 'No such upload, or not one the requester may read' })
  async serve(
    @CurrentUser() requester: AuthUser,
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.uploads.open(name, requester.id);
    res.set(SERVE_HEADERS);
    return new StreamableFile(file.stream, {
      type: file.mimeType,
      length: file.size,
      // The name matched a strict pattern, so it is safe to quote as it is.
      disposition: `inline; filename="${file.name}"`,
    });
  }
}
