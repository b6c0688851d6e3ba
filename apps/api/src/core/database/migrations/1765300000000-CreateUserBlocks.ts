import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who blocked whom. The primary key answers "did the peer block this sender" on the send path
 * with one index probe; the second index finds a user's blockers for the views and fan-outs.
 */
export class CreateUserBlocks1765300000000 implements MigrationInterface {
  name = 'CreateUserBlocks1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE user_blocks (
        blocker_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        blocked_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_blocks_pkey PRIMARY KEY (blocker_id, blocked_id),
        CONSTRAINT user_blocks_not_self_check CHECK (blocker_id <> blocked_id)
      )`,
    );
    await q.query(`CREATE INDEX user_blocks_blocked_idx ON user_blocks (blocked_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_blocks`);
  }
}
