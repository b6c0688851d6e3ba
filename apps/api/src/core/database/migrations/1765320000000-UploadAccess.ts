import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every fetch of an upload asks "is a live message carrying this file in a conversation of the
 * requester?": the messages that carry a file, found by its URL, without a scan.
 */
export class UploadAccess1765320000000 implements MigrationInterface {
  name = 'UploadAccess1765320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX messages_file_url_idx ON messages (file_url) WHERE file_url IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_file_url_idx`);
  }
}
