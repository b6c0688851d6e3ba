import {
  CanActivate,
  ExecutionContext,
  Global,
  INestApplication,
  Injectable,
  Module,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { ImageUploadView } from '@chat/shared-dto';
import type { Request } from 'express';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { MemoryUploadRepository } from '../../test/upload/fakes';
import {
  htmlBehindPngSignature,
  oversizedPng,
  pixelBombPng,
  pngWithTrailingHtml,
  SVG_IMAGE,
  solidImage,
  TEXT_FILE,
} from '../../test/upload/image-fixtures';
import { IS_PUBLIC } from '../core/auth/public.decorator';
import { AppConfig, loadAppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { configureApp } from '../core/http/configure-app';
import { RateLimiterService } from '../core/rate-limit/rate-limiter.service';
import { RedisService } from '../core/redis/redis.service';
import { UPLOAD_RATE_LIMIT } from './upload.constants';
import { UploadEntity } from './upload.entity';
import { UploadModule } from './upload.module';
import { UploadsRepository } from './uploads.repository';

/**
 * The upload routes over real HTTP with the real module, multer, sharp, disk storage, app
 * configuration (prefix, helmet, filter, Swagger) and rate limiter; only the database and the
 * JWT are stood in for: `x-test-user` plays the part of the Bearer token.
 */
@Injectable()
class TestAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
        context.getHandler(),
        context.getClass(),
      ])
    )
      return true;
    const req = context.switchToHttp().getRequest<Request & { user?: unknown }>();
    const id = req.header('x-test-user');
    if (!id) throw new UnauthorizedException('Missing or invalid token');
    req.user = { id, username: id, sessionId: 's' };
    return true;
  }
}

let userCounter = 0;
const newUser = (): string => `00000000-0000-4000-8000-${String(++userCounter).padStart(12, '0')}`;

describe('UploadController (HTTP)', () => {
  let app: INestApplication;
  let uploadDir: string;
  let config: AppConfig;

  beforeAll(async () => {
    uploadDir = await mkdtemp(join(tmpdir(), 'upload-http-'));
    config = loadAppConfig({
      NODE_ENV: 'test',
      UPLOAD_DIR: uploadDir,
      MAX_ATTACHMENT_SIZE: String(8 * 1024 * 1024),
      WEB_DIST_DIR: join(uploadDir, 'no-web'),
    });

    @Global()
    @Module({
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RedisService, useValue: { client: null, enabled: false } },
        RateLimiterService,
        { provide: APP_GUARD, useClass: TestAuthGuard },
      ],
      exports: [APP_CONFIG, RateLimiterService],
    })
    class TestCoreModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestCoreModule, UploadModule] })
      .overrideProvider(getRepositoryToken(UploadEntity))
      .useValue({})
      .overrideProvider(UploadsRepository)
      .useValue(new MemoryUploadRepository().asRepository())
      .compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ logger: ['error'] });
    configureApp(app as NestExpressApplication, config);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await rm(uploadDir, { recursive: true, force: true });
  });

  const post = (user: string | null = newUser()) => {
    const req = request(app.getHttpServer()).post('/api/upload');
    return user ? req.set('x-test-user', user) : req;
  };

  const get = (url: string, user: string | null) => {
    const req = request(app.getHttpServer()).get(url);
    return user ? req.set('x-test-user', user) : req;
  };

  function expectError(body: unknown, statusCode: number): void {
    expect(body).toEqual({ statusCode, message: expect.anything(), error: expect.any(String) });
  }

  it.each([
    ['jpeg', 'image/jpeg', 'jpg'],
    ['png', 'image/png', 'png'],
    ['gif', 'image/gif', 'gif'],
    ['webp', 'image/webp', 'webp'],
  ] as const)(
    'accepts a %s and serves it back with safe headers',
    async (format, mimeType, extension) => {
      const uploader = newUser();
      const res = await post(uploader)
        .attach('file', await solidImage(format, 500, 400), {
          filename: `photo.${extension}`,
          contentType: mimeType,
        })
        .expect(201);
      const view = res.body as ImageUploadView;
      expect(view).toEqual({
        url: expect.stringMatching(new RegExp(`^/api/uploads/[0-9a-f]{32}\\.${extension}$`)),
        thumbnailUrl: expect.stringMatching(/^\/api\/uploads\/[0-9a-f]{32}-thumb\.webp$/),
        width: 500,
        height: 400,
        size: expect.any(Number),
        mimeType,
        kind: 'image',
        name: `photo.${extension}`,
      });

      const file = await get(view.url, uploader).buffer(true).expect(200);
      expect(file.headers['content-type']).toBe(mimeType);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['cache-control']).toBe('private, max-age=86400, immutable');
      expect(file.headers['content-disposition']).toBe(
        `inline; filename="${view.url.split('/').pop()}"`,
      );
      expect(file.headers['content-security-policy']).toBe(
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox",
      );
      expect(Number(file.headers['content-length'])).toBe(view.size);
      expect((file.body as Buffer).length).toBe(view.size);
      expect((await sharp(file.body as Buffer).metadata()).format).toBe(format);

      const thumbnail = await get(view.thumbnailUrl, uploader).buffer(true).expect(200);
      expect(thumbnail.headers['content-type']).toBe('image/webp');

      // The URL alone grants nothing: someone else gets the 404 of a missing file, nobody a 401.
      for (const url of [view.url, view.thumbnailUrl]) {
        expectError((await get(url, newUser()).expect(404)).body, 404);
        expectError((await get(url, null).expect(401)).body, 401);
      }
    },
  );

  it.each([
    ['a text file called photo.png', TEXT_FILE, 'photo.png', 'image/png'],
    ['an SVG', SVG_IMAGE, 'x.svg', 'image/svg+xml'],
  ])(
    'ignores the client-declared name and type: %s is stored as a plain-text download',
    async (_label, bytes, filename, contentType) => {
      const uploader = newUser();
      const res = await post(uploader).attach('file', bytes, { filename, contentType }).expect(201);
      expect(res.body).toMatchObject({ kind: 'file', mimeType: 'text/plain', name: filename });
      expect(res.body).not.toHaveProperty('thumbnailUrl');
      const file = await get((res.body as { url: string }).url, uploader).expect(200);
      expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="${filename}"; filename*=UTF-8''${filename}`,
      );
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'; sandbox",
      );
    },
  );

  it('refuses an executable with 415', async () => {
    const elf = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
      Buffer.alloc(56),
    ]);
    const res = await post().attach('file', elf, 'report.pdf').expect(415);
    expectError(res.body, 415);
  });

  it('answers 413 for a document over MAX_ATTACHMENT_SIZE', async () => {
    const res = await post()
      .attach('file', Buffer.alloc(config.upload.maxAttachmentSize + 1, 'a'), 'big.txt')
      .expect(413);
    expect(res.body).toMatchObject({ message: 'The file is larger than 8 MiB' });
  });

  it('refuses HTML behind a PNG signature with 400', async () => {
    const res = await post().attach('file', htmlBehindPngSignature(), 'x.png').expect(400);
    expectError(res.body, 400);
  });

  it('stores a PNG with HTML appended as a clean re-encoded PNG', async () => {
    const uploader = newUser();
    const res = await post(uploader)
      .attach('file', await pngWithTrailingHtml(), 'x.png')
      .expect(201);
    const file = await get((res.body as ImageUploadView).url, uploader)
      .buffer(true)
      .expect(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect((file.body as Buffer).includes('<script')).toBe(false);
  });

  it('answers 413 for a file over MAX_FILE_SIZE (6 MiB against 5 MiB)', async () => {
    expect(config.upload.maxFileSize).toBe(5 * 1024 * 1024);
    const res = await post()
      .attach('file', oversizedPng(6 * 1024 * 1024), 'big.png')
      .expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      message: 'The image is larger than 5 MiB',
      error: 'Payload Too Large',
    });
  });

  it('refuses a decompression bomb with 400 and a clear message', async () => {
    const res = await post()
      .attach('file', await pixelBombPng(), 'bomb.png')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      message: expect.stringMatching(/too large: at most 40 megapixels/),
      error: 'Bad Request',
    });
  }, 60_000);

  it('answers 400 without a `file` field', async () => {
    expectError((await post().send({ file: 'nope' }).expect(400)).body, 400);
    expectError((await post().field('note', 'no file').expect(400)).body, 400);
  });

  it('answers 400 for another field name, a second file or too many fields', async () => {
    const png = await solidImage('png');
    expectError((await post().attach('image', png, 'a.png').expect(400)).body, 400);
    expectError(
      (await post().attach('file', png, 'a.png').attach('file', png, 'b.png').expect(400)).body,
      400,
    );
    let many = post();
    for (let i = 0; i < 10; i++) many = many.field(`f${i}`, 'x');
    expectError((await many.attach('file', png, 'a.png').expect(400)).body, 400);
  });

  it('answers 400 for a malformed multipart body', async () => {
    const res = await post()
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc')
      .expect(400);
    expectError(res.body, 400);
  });

  it('needs a user', async () => {
    await post(null)
      .attach('file', await solidImage('png'), 'a.png')
      .expect(401);
  });

  it(`allows ${UPLOAD_RATE_LIMIT.limit} uploads per user per window, then 429 with Retry-After`, async () => {
    const user = newUser();
    const png = await solidImage('png', 8, 8);
    for (let i = 0; i < UPLOAD_RATE_LIMIT.limit; i++)
      await post(user).attach('file', png, 'a.png').expect(201);
    const res = await post(user).attach('file', png, 'a.png').expect(429);
    expectError(res.body, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(UPLOAD_RATE_LIMIT.windowSeconds);
    // Someone else is not affected.
    await post().attach('file', png, 'a.png').expect(201);
  });

  it('documents both routes in Swagger', async () => {
    interface Operation {
      security?: unknown[];
      requestBody?: { content: Record<string, unknown> };
      responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
    }
    const doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const upload = doc.paths['/api/upload'].post;
    expect(Object.keys(upload.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
    expect(upload.security).toEqual([{ bearer: [] }]);
    expect(upload.responses['201'].content?.['application/json'].schema?.$ref).toMatch(
      /UploadResponse$/,
    );
    expect(Object.keys(upload.responses)).toEqual(
      expect.arrayContaining(['400', '401', '413', '415', '429']),
    );
    expect(doc.paths['/api/uploads/{name}'].get.responses['404']).toBeDefined();
  });

  it.each([
    '0123456789abcdef0123456789abcdef.png',
    '0123456789abcdef0123456789abcdef.svg',
    'index.html',
    '..%2F..%2Fpackage.json',
    '%2e%2e',
    'x'.repeat(300),
  ])('answers 404 for GET /api/uploads/%s', async (name) => {
    const res = await get(`/api/uploads/${name}`, newUser()).expect(404);
    expectError(res.body, 404);
  });
});
