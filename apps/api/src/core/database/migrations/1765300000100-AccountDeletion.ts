import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A deleted account keeps its row (its messages still point at it) with every personal field
 * erased; `deleted_at` says so, and keeps it out of search and logins.
 */
export class AccountDeletion1765300000100 implements MigrationInterface {
  name = 'AccountDeletion1765300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN deleted_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN deleted_at`);
  }
}
