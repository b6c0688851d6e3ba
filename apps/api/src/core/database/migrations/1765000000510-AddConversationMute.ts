import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each member's own mute of a conversation: no pushes (except mentions) until `muted_until`. */
export class AddConversationMute1765000000510 implements MigrationInterface {
  name = 'AddConversationMute1765000000510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversation_members ADD COLUMN muted_until timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE conversation_members DROP COLUMN muted_until`);
  }
}
