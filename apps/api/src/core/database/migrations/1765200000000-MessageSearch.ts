import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over messages in PostgreSQL itself, so it works on the embedded default
 * too. `chat_search` is the `simple` configuration (no stemming: words in any language match
 * as written) behind `unaccent` ("deploiement" finds "déploiement"). One GIN index over
 * (conversation_id, words) answers "these words, in these conversations" without visiting
 * other conversations' rows; tombstones are not in it.
 */
export class MessageSearch1765200000000 implements MigrationInterface {
  name = 'MessageSearch1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`CREATE TEXT SEARCH CONFIGURATION chat_search (COPY = simple)`);
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION chat_search
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple`);
    await q.query(`
      CREATE INDEX messages_search_idx ON messages
        USING gin (conversation_id, to_tsvector('chat_search'::regconfig, content))
        WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_search_idx`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION chat_search`);
    await q.query(`DROP EXTENSION IF EXISTS btree_gin`);
    await q.query(`DROP EXTENSION IF EXISTS unaccent`);
  }
}
