import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each user says who may start a direct conversation with them; everyone, as before, by default. */
export class DirectMessagePolicy1765330000000 implements MigrationInterface {
  name = 'DirectMessagePolicy1765330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN direct_messages varchar(16) NOT NULL DEFAULT 'everyone',
        ADD CONSTRAINT users_direct_messages_check
          CHECK (direct_messages IN ('everyone', 'shared-groups'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN direct_messages`);
  }
}
