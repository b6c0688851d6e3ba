import { Logger } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT, runs `stop` once, then exits 0 (1 if it fails or takes longer than
 * `graceMs`): stop taking connections, let in-flight work finish, close sockets so clients
 * reconnect elsewhere, close the pools.
 */
export function onShutdownSignal(graceMs: number, stop: () => Promise<unknown>): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    setTimeout(() => {
      logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, graceMs).unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
