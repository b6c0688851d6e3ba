import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../core/auth/public.decorator';
import { AvatarsService } from './avatars.service';

/** Same rules as uploads: our own encoded images, never sniffed as anything else or run. */
const SERVE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'public, max-age=31536000, immutable',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
} as const;

@ApiTags('users')
@Controller('avatars')
export class AvatarsController {
  constructor(private readonly avatars: AvatarsService) {}

  /** Public: `<img>` sends no token, and an avatar is what a profile shows to anyone anyway. */
  @Get(':name')
  @Public()
  @SkipThrottle({ anon: true, user: true })
  @ApiOperation({ summary: 'An avatar (`<id>-256.webp` or `<id>-64.webp`), no token needed' })
  @ApiProduces('image/webp')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'No such avatar' })
  async serve(
    @Param('name') name: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.avatars.open(name);
    res.set(SERVE_HEADERS);
    return new StreamableFile(file.stream, { type: 'image/webp', length: file.size });
  }
}
