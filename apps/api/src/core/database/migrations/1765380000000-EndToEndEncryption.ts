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
 * End-to-end encrypted direct conversations: the key directory (each device's public identity
 * key, signed prekey and one-time prekeys), a conversation's switch-on time, a message's
 * envelopes (one ciphertext per device), each member's encrypted reactions, `system` messages,
 * and client-encrypted uploads (`application/octet-stream`, opaque to the server).
 */
export class EndToEndEncryption1765380000000 implements MigrationInterface {
  name = 'EndToEndEncryption1765380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE e2e_devices (
        user_id uuid NOT NULL,
        device_id integer NOT NULL,
        registration_id integer NOT NULL,
        identity_key varchar(44) NOT NULL,
        signed_prekey_id integer NOT NULL,
        signed_prekey varchar(44) NOT NULL,
        signed_prekey_signature varchar(88) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT e2e_devices_pkey PRIMARY KEY (user_id, device_id),
        CONSTRAINT e2e_devices_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE e2e_prekeys (
        user_id uuid NOT NULL,
        device_id integer NOT NULL,
        key_id integer NOT NULL,
        public_key varchar(44) NOT NULL,
        CONSTRAINT e2e_prekeys_pkey PRIMARY KEY (user_id, device_id, key_id),
        CONSTRAINT e2e_prekeys_device_fkey FOREIGN KEY (user_id, device_id)
          REFERENCES e2e_devices(user_id, device_id) ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE conversations ADD COLUMN encrypted_at timestamptz`);
    await q.query(`ALTER TABLE messages ADD COLUMN encrypted jsonb`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call', 'file', 'voice', 'system'))`);
    await q.query(`
      CREATE TABLE message_encrypted_reactions (
        message_id uuid NOT NULL,
        user_id uuid NOT NULL,
        encrypted jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_encrypted_reactions_pkey PRIMARY KEY (message_id, user_id),
        CONSTRAINT message_encrypted_reactions_message_id_fkey FOREIGN KEY (message_id)
          REFERENCES messages(id) ON DELETE CASCADE,
        CONSTRAINT message_encrypted_reactions_user_id_fkey FOREIGN KEY (user_id)
          REFERENCES users(id) ON DELETE CASCADE
      )`);
    await q.query(`ALTER TABLE uploads DROP CONSTRAINT uploads_mime_type_check`);
    await q.query(`
      ALTER TABLE uploads ADD CONSTRAINT uploads_mime_type_check CHECK (
        (kind = 'image' AND mime_type IN (${IMAGE_TYPES})) OR
        (kind = 'file' AND mime_type IN (${DOCUMENT_TYPES}, 'application/octet-stream')) OR
        (kind = 'voice' AND mime_type IN (${VOICE_TYPES})))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Encrypted messages stay (their seqs must not leave gaps), as empty text messages.
    await q.query(
      `UPDATE messages SET message_type = 'text', content = '', file_url = NULL, encrypted = NULL
        WHERE message_type = 'system' OR encrypted IS NOT NULL`,
    );
    await q.query(`DELETE FROM uploads WHERE mime_type = 'application/octet-stream'`);
    await q.query(`ALTER TABLE uploads DROP CONSTRAINT uploads_mime_type_check`);
    await q.query(`
      ALTER TABLE uploads ADD CONSTRAINT uploads_mime_type_check CHECK (
        (kind = 'image' AND mime_type IN (${IMAGE_TYPES})) OR
        (kind = 'file' AND mime_type IN (${DOCUMENT_TYPES})) OR
        (kind = 'voice' AND mime_type IN (${VOICE_TYPES})))`);
    await q.query(`DROP TABLE message_encrypted_reactions`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call', 'file', 'voice'))`);
    await q.query(`ALTER TABLE messages DROP COLUMN encrypted`);
    await q.query(`ALTER TABLE conversations DROP COLUMN encrypted_at`);
    await q.query(`DROP TABLE e2e_prekeys`);
    await q.query(`DROP TABLE e2e_devices`);
  }
}
