import { BadRequestException, RequestMethod } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';
import { addDtoSchemas } from '../swagger/api-schema';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { BoundedValidationPipe } from './bounded-validation.pipe';
import { TOO_DEEP_MESSAGE } from './json-depth';
import { OriginPolicy } from './origin-policy';
import { UntrustedProxyWarning } from './trusted-proxy';
import { serveWebApp } from './web-app';

/** Everything an HTTP app needs beyond its modules; shared by `main.ts` and the tests. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  const proxyWarning = new UntrustedProxyWarning(config.trustProxy, 'HTTP');
  app.use((req: IncomingMessage, _res: unknown, next: () => void) => {
    proxyWarning.check(req);
    next();
  });
  app.useBodyParser('json', { limit: '64kb' });
  app.useBodyParser('urlencoded', { limit: '64kb', extended: false });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          fontSrc: ["'self'", 'data:'],
          // Voice notes: served from /api/uploads, and a recording is heard before it is sent.
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // HSTS only means something over TLS, which the balancer terminates.
      strictTransportSecurity: config.production
        ? { maxAge: 15552000, includeSubDomains: true }
        : false,
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  // The API's own origin, however it is reached, plus CLIENT_URL (see OriginPolicy).
  const origins = new OriginPolicy(config.corsOrigins, config.trustProxy, 'CORS');
  app.enableCors((req, callback) =>
    callback(null, {
      origin: origins.allows(req),
      credentials: true,
      exposedHeaders: ['Retry-After', 'X-Request-Id'],
    }),
  );
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(
    new BoundedValidationPipe(
      { whitelist: true, forbidNonWhitelisted: true, transform: true, forbidUnknownValues: true },
      () => new BadRequestException(TOO_DEEP_MESSAGE),
    ),
  );
  app.useGlobalFilters(new AllExceptionsFilter());

  // The API description names every route and field: on in development, opt-in in production.
  if (config.swaggerEnabled) {
    const document = addDtoSchemas(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('chat API')
          .setDescription(
            'REST half of the chat contract; the realtime half is Socket.IO on the same port (see CONTRACT.md).',
          )
          .setVersion('1.0')
          .addBearerAuth()
          .build(),
      ),
    );
    SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  }

  serveWebApp(app, config.webDistDir);
}
