import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A request id from the balancer when it is well-formed, otherwise a new one. */
export function requestId(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * JSON logs through pino with a request id on every line. Credentials never reach a log:
 * headers that carry them are redacted and request bodies are not logged at all.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          genReqId: (req, res) => {
            const id = requestId(req);
            res.setHeader('X-Request-Id', id);
            return id;
          },
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["sec-websocket-protocol"]',
              'res.headers["set-cookie"]',
            ],
            censor: '[redacted]',
          },
          serializers: {
            // The query string may hold a token (socket.io polling); log the path only.
            req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
              id: req.id,
              method: req.method,
              path: req.url.split('?')[0],
              remoteAddress: req.remoteAddress,
            }),
          },
          autoLogging: {
            ignore: (req) => req.url === '/health' || (req.url ?? '').startsWith('/socket.io'),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
