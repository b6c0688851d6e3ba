import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who uploaded which image. Messages keep the URL they were sent with (`messages.file_url`);
 * this table lets the API accept only URLs it issued to the sender. Keys are unique so that a
 * URL maps to one owner.
 */
export class CreateUploads1764000000100 implements MigrationInterface {
  name = 'CreateUploads1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE uploads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        original_key varchar(64) NOT NULL,
        thumbnail_key varchar(64) NOT NULL,
        mime_type varchar(16) NOT NULL
          CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/gif', 'image/webp')),
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        size integer NOT NULL CHECK (size > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uploads_original_key_uq ON uploads (original_key)`);
    await q.query(`CREATE UNIQUE INDEX uploads_thumbnail_key_uq ON uploads (thumbnail_key)`);
    // "My uploads, newest first" and the owner side of the ownership check.
    await q.query(`CREATE INDEX uploads_owner_id_idx ON uploads (owner_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE uploads`);
  }
}
