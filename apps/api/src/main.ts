import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './create-app';
import { loadAppConfig } from './core/config/app-config';
import { EnvironmentError } from './core/config/environment';

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

  // Graceful stop: refuse new connections, let in-flight work finish, close sockets so clients
  // reconnect elsewhere, close the pools; give up after SHUTDOWN_GRACE_MS.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    setTimeout(() => {
      logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

bootstrap().catch((err: unknown) => {
  if (err instanceof EnvironmentError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
