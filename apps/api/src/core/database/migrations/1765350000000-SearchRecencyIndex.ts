import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search reads a member's newest messages first: a common word matches often enough among the
 * last hours of the caller's conversations, and scanning those (by this index) is far cheaper
 * than reading the word's posting list over every conversation from the GIN index. Live
 * messages only, like the GIN index; `id` breaks ties for the search cursor.
 */
export class SearchRecencyIndex1765350000000 implements MigrationInterface {
  name = 'SearchRecencyIndex1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX messages_conversation_created_idx ON messages (conversation_id, created_at, id)
        WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_conversation_created_idx`);
  }
}
