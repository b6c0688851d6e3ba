import { MigrationInterface, QueryRunner } from 'typeorm';

const IMAGE_TYPES = `'image/jpeg', 'image/png', 'image/gif', 'image/webp'`;
const DOCUMENT_TYPES = `'application/pdf', 'text/plain', 'text/csv', 'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation'`;
const VOICE_TYPES = `'audio/webm', 'audio/ogg', 'audio/mp4', 'audio/mpeg'`;

/**
 * Voice recordings (`kind = 'voice'`): stored as sent, with the duration the server read from
 * the media data and the waveform the recording client measured; messages gain `type = 'voice'`.
 */
export class VoiceUploads1765340000000 implements MigrationInterface {
  name = 'VoiceUploads1765340000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE uploads
        ADD COLUMN duration_ms integer,
        ADD COLUMN waveform real[],
        DROP CONSTRAINT uploads_kind_check,
        DROP CONSTRAINT uploads_mime_type_check`);
    await q.query(`
      ALTER TABLE uploads
        ADD CONSTRAINT uploads_kind_check CHECK (kind IN ('image', 'file', 'voice')),
        ADD CONSTRAINT uploads_mime_type_check CHECK (
          (kind = 'image' AND mime_type IN (${IMAGE_TYPES})) OR
          (kind = 'file' AND mime_type IN (${DOCUMENT_TYPES})) OR
          (kind = 'voice' AND mime_type IN (${VOICE_TYPES}))),
        ADD CONSTRAINT uploads_voice_check CHECK (
          kind <> 'voice' OR (duration_ms > 0 AND (waveform IS NULL OR cardinality(waveform) = 64)))`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call', 'file', 'voice'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Voice messages stay (their seqs must not leave gaps), as empty text messages.
    await q.query(
      `UPDATE messages SET message_type = 'text', content = '', file_url = NULL
        WHERE message_type = 'voice'`,
    );
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call', 'file'))`);
    await q.query(`DELETE FROM uploads WHERE kind = 'voice'`);
    await q.query(`
      ALTER TABLE uploads
        DROP CONSTRAINT uploads_voice_check,
        DROP CONSTRAINT uploads_kind_check,
        DROP CONSTRAINT uploads_mime_type_check,
        DROP COLUMN duration_ms,
        DROP COLUMN waveform`);
    await q.query(`
      ALTER TABLE uploads
        ADD CONSTRAINT uploads_kind_check CHECK (kind IN ('image', 'file')),
        ADD CONSTRAINT uploads_mime_type_check CHECK (
          (kind = 'image' AND mime_type IN (${IMAGE_TYPES})) OR
          (kind = 'file' AND mime_type IN (${DOCUMENT_TYPES})))`);
  }
}
