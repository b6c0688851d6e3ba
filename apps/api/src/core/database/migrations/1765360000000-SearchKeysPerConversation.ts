import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The word index keyed by conversation: each lexeme is stored as `<conversation key><lexeme>`,
 * so that a search looks up "this word in these 50 conversations" as 50 short posting lists
 * instead of the word's list over the whole database (`conversation_id = ANY(...)` is no GIN
 * key, and a (conversation_id, words) GIN index reads the word's whole list once per
 * conversation). A prefix query still works: `'<key>depl':*` is a range of one conversation's
 * entries. The key is 12 hex digits of the id (48 bits); the query also filters by
 * conversation_id, so a collision could only cost time, never show a stranger's message.
 */
export class SearchKeysPerConversation1765360000000 implements MigrationInterface {
  name = 'SearchKeysPerConversation1765360000000';

  async up(q: QueryRunner): Promise<void> {
    // Schema-qualified inside the bodies: PostgreSQL 17 (the embedded PGlite) runs index
    // builds and maintenance with search_path = pg_catalog, where `chat_search` is not found;
    // a `SET search_path` clause instead would cost a setting change on every row.
    const [{ schema }] = (await q.query(`SELECT current_schema() AS schema`)) as {
      schema: string;
    }[];
    const ns = `"${schema.replace(/"/g, '""')}"`;
    await q.query(`
      CREATE FUNCTION chat_search_key(conversation uuid) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT left(replace(conversation::text, '-', ''), 12) $$`);
    await q.query(`
      CREATE FUNCTION chat_search_keys(conversation uuid, content text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$
          SELECT coalesce(
                   array_to_tsvector(array_agg(${ns}.chat_search_key(conversation) || w.lexeme)),
                   ''::tsvector)
            FROM unnest(to_tsvector('${ns}.chat_search'::regconfig, content)) AS w
        $$`);
    await q.query(`DROP INDEX messages_search_idx`);
    await q.query(`
      CREATE INDEX messages_search_idx ON messages
        USING gin (chat_search_keys(conversation_id, content))
        WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX messages_search_idx`);
    await q.query(`
      CREATE INDEX messages_search_idx ON messages
        USING gin (conversation_id, to_tsvector('chat_search'::regconfig, content))
        WHERE deleted_at IS NULL`);
    await q.query(`DROP FUNCTION chat_search_keys(uuid, text)`);
    await q.query(`DROP FUNCTION chat_search_key(uuid)`);
  }
}
