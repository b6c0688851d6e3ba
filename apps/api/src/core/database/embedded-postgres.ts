import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Real PostgreSQL compiled to WASM (PGlite), served on a loopback port so that TypeORM's `pg`
 * driver, the migrations and every query run unchanged. Data lives on disk in `dataDir`.
 */
export class EmbeddedPostgres {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private db?: PGlite;
  private server?: PGLiteSocketServer;

  constructor(
    private readonly dataDir: string,
    private readonly maxConnections: number,
  ) {}

  /** Starts PGlite and its socket server; resolves to a `postgres://` URL on 127.0.0.1. */
  async start(): Promise<string> {
    mkdirSync(this.dataDir, { recursive: true });
    // The contrib extensions the migrations create (message search), as a server has them.
    this.db = await PGlite.create({ dataDir: this.dataDir, extensions: { btree_gin, unaccent } });
    this.server = new PGLiteSocketServer({
      db: this.db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: this.maxConnections,
    });
    await this.server.start();
    const address = this.server.getServerConn();
    this.logger.log(`embedded PostgreSQL (PGlite) on ${address}, data in ${this.dataDir}`);
    return `postgres://postgres@${address}/postgres`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
    this.server = undefined;
    this.db = undefined;
  }
}
