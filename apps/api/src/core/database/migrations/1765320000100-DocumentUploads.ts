import { MigrationInterface, QueryRunner } from 'typeorm';

const IMAGE_TYPES = `'image/jpeg', 'image/png', 'image/gif', 'image/webp'`;
const DOCUMENT_TYPES = `'application/pdf', 'text/plain', 'text/csv', 'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation'`;

/**
 * Uploads become attachments: documents (`kind = 'file'`) are stored as sent, with no
 * thumbnail or pixel size, under the sanitised name the uploader gave them; messages gain
 * `type = 'file'`. Images keep every column they had.
 */
export class DocumentUploads1765320000100 implements MigrationInterface {
  name = 'DocumentUploads1765320000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE uploads
        ADD COLUMN kind varchar(8) NOT NULL DEFAULT 'image',
        ADD COLUMN name varchar(255),
        ALTER COLUMN thumbnail_key DROP NOT NULL,
        ALTER COLUMN width DROP NOT NULL,
        ALTER COLUMN height DROP NOT NULL,
        ALTER COLUMN mime_type TYPE varchar(100),
        DROP CONSTRAINT uploads_mime_type_check,
        DROP CONSTRAINT uploads_width_check,
        DROP CONSTRAINT uploads_height_check`);
    await q.query(`
      ALTER TABLE uploads
        ADD CONSTRAINT uploads_kind_check CHECK (kind IN ('image', 'file')),
        ADD CONSTRAINT uploads_mime_type_check CHECK (
          (kind = 'image' AND mime_type IN (${IMAGE_TYPES})) OR
          (kind = 'file' AND mime_type IN (${DOCUMENT_TYPES}))),
        ADD CONSTRAINT uploads_image_check CHECK (
          kind <> 'image' OR (width > 0 AND height > 0 AND thumbnail_key IS NOT NULL))`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call', 'file'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // File messages stay (their seqs must not leave gaps), as empty text messages.
    await q.query(
      `UPDATE messages SET message_type = 'text', content = '', file_url = NULL
        WHERE message_type = 'file'`,
    );
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call'))`);
    await q.query(`DELETE FROM uploads WHERE kind <> 'image'`);
    await q.query(`
      ALTER TABLE uploads
        DROP CONSTRAINT uploads_kind_check,
        DROP CONSTRAINT uploads_mime_type_check,
        DROP CONSTRAINT uploads_image_check,
        DROP COLUMN kind,
        DROP COLUMN name,
        ALTER COLUMN thumbnail_key SET NOT NULL,
        ALTER COLUMN width SET NOT NULL,
        ALTER COLUMN height SET NOT NULL,
        ALTER COLUMN mime_type TYPE varchar(16),
        ADD CONSTRAINT uploads_mime_type_check CHECK (mime_type IN (${IMAGE_TYPES})),
        ADD CONSTRAINT uploads_width_check CHECK (width > 0),
        ADD CONSTRAINT uploads_height_check CHECK (height > 0)`);
  }
}
