import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A call leaves a `type: 'call'` message; what it records (media, outcome, duration) is a small
 * jsonb on the message rather than a table of its own: it is written once with the message and
 * read only with it.
 */
export class CallMessages1765310000000 implements MigrationInterface {
  name = 'CallMessages1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image', 'call'))`);
    await q.query(`ALTER TABLE messages ADD COLUMN call jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Call messages stay (their seqs must not leave gaps), as empty text messages.
    await q.query(`UPDATE messages SET message_type = 'text' WHERE message_type = 'call'`);
    await q.query(`ALTER TABLE messages DROP COLUMN call`);
    await q.query(`ALTER TABLE messages DROP CONSTRAINT messages_message_type_check`);
    await q.query(`
      ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
        CHECK (message_type IN ('text', 'image'))`);
  }
}
