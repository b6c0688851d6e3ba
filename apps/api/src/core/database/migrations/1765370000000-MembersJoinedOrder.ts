import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Large groups: a conversation payload embeds its first members in joining order, which this
 * index serves as a range scan of its first rows instead of a sort of all 10,000.
 */
export class MembersJoinedOrder1765370000000 implements MigrationInterface {
  name = 'MembersJoinedOrder1765370000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX conversation_members_joined_idx ON conversation_members (conversation_id, joined_at, user_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX conversation_members_joined_idx`);
  }
}
