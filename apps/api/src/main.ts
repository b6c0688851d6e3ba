import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { createApp } from './create-app';
import { loadAppConfig } from './core/config/app-config';
import { EnvironmentError } from './core/config/environment';
import { onShutdownSignal } from './shutdown';

async function bootstrap(): Promise<void> {
  // Validate before building anything, so a bad environment is one clear message, not a trace.
  const config = loadAppConfig();
  const app = await createApp();
  await app.listen(config.port);
  const logger = new Logger('Bootstrap');
  if (config.jwt.usingDevelopmentSecret) {
    logger.warn('JWT_SECRET is not set: using the development secret (refused in production)');
  }
  logger.log(`listening on http://localhost:${config.port} (${config.nodeEnv})`);

  onShutdownSignal(config.shutdownGraceMs, async () => {
    // No new connections from here on; open ones are closed by app.close() after the drain.
    const server = app.getHttpServer();
    server.close();
    // A keep-alive client (a health probe, a proxy) would hold the server open past the grace
    // period: answers say "Connection: close" from now on, and idle connections are closed.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      res.shouldKeepAlive = false;
    });
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    await app.close();
    clearInterval(sweep);
  });
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvironmentError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
