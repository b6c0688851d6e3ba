import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Edits, deletes, replies, reactions and mentions, and the change feed that brings them to
 * every device: each conversation counts its changes (`last_rev`) and stamps the changed
 * message with the count (`rev`), so `changedSince=<rev>` is an index range scan. Existing
 * messages take their seq as rev (every message so far was one change).
 */
export class MessageLifecycle1765100000000 implements MigrationInterface {
  name = 'MessageLifecycle1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversations ADD COLUMN last_rev bigint NOT NULL DEFAULT 0`);
    await q.query(`UPDATE conversations SET last_rev = last_seq`);
    await q.query(`
      ALTER TABLE messages
        ADD COLUMN rev bigint NOT NULL DEFAULT 0,
        ADD COLUMN edited_at timestamptz,
        ADD COLUMN deleted_at timestamptz,
        ADD COLUMN reply_to_id uuid,
        ADD COLUMN mentions uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`UPDATE messages SET rev = seq`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_reply_to_id_fkey
        FOREIGN KEY (reply_to_id) REFERENCES messages (id) ON DELETE SET NULL`);
    await q.query(
      `CREATE UNIQUE INDEX messages_conversation_rev_uq ON messages (conversation_id, rev)`,
    );
    await q.query(`
      CREATE TABLE message_reactions (
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        emoji varchar(32) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (message_id, emoji, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE message_reactions`);
    await q.query(`DROP INDEX messages_conversation_rev_uq`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_reply_to_id_fkey`);
    await q.query(`
      ALTER TABLE messages
        DROP COLUMN mentions, DROP COLUMN reply_to_id, DROP COLUMN deleted_at,
        DROP COLUMN edited_at, DROP COLUMN rev`);
    await q.query(`ALTER TABLE conversations DROP COLUMN last_rev`);
  }
}
