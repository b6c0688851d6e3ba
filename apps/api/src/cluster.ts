import 'reflect-metadata';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { Logger } from '@nestjs/common';
import { setupMaster, setupWorker } from '@socket.io/sticky';
import { createApp } from './create-app';
import { loadAppConfig } from './core/config/app-config';
import { EnvironmentError } from './core/config/environment';
import { RealtimeServer } from './core/realtime/realtime-server';
import { onShutdownSignal } from './shutdown';

/**
 * `npm run cluster`: one API worker per core behind one port. The primary owns the port and
 * hands each connection to a worker, keeping Socket.IO's long-polling requests on the worker
 * that holds their session (sticky by `sid`); workers share rooms, presence and sessions
 * through Redis, and the database through PostgreSQL, exactly as separate instances behind
 * nginx do. Not for the embedded mode: PGlite lives inside one process.
 */
const logger = new Logger('Cluster');
const WORKER_READY = 'chat:worker-ready';

async function primary(): Promise<void> {
  const config = loadAppConfig();
  if (config.database.mode !== 'postgres' || !config.redis) {
    throw new EnvironmentError([
      'npm run cluster needs PostgreSQL (DB_HOST or DATABASE_URL) and Redis (REDIS_HOST or REDIS_URL): workers share them',
    ]);
  }
  const workers = Number(process.env.WEB_CONCURRENCY) || availableParallelism();
  const server = createServer();
  setupMaster(server, { loadBalancingMethod: 'least-connection' });
  cluster.setupPrimary({ serialization: 'advanced' });

  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.warn(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  // Take connections only once every worker can receive them: a connection handed to a
  // worker that is still booting would be dropped.
  let ready = 0;
  cluster.on('message', (_worker, message: { type?: string }) => {
    if (message?.type !== WORKER_READY || ++ready !== workers) return;
    server.listen(config.port, () =>
      logger.log(`listening on http://localhost:${config.port} with ${workers} workers`),
    );
  });
  for (let i = 0; i < workers; i++) cluster.fork();

  onShutdownSignal(config.shutdownGraceMs + 2000, async () => {
    stopping = true;
    server.close();
    const exits = Object.values(cluster.workers ?? {}).map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (!worker || worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          worker.process.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
  });
}

async function worker(): Promise<void> {
  const config = loadAppConfig();
  const app = await createApp();
  // The primary owns the port: connections arrive from it over IPC.
  await app.init();
  const io = app.get(RealtimeServer).io;
  if (!io) throw new Error('Socket.IO server not initialised');
  setupWorker(io);
  process.send?.({ type: WORKER_READY });
  onShutdownSignal(config.shutdownGraceMs, () => app.close());
}

(cluster.isPrimary ? primary() : worker()).catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof EnvironmentError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
