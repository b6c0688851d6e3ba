import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Web Push: the one VAPID key pair every instance signs with (a single row, so that instances
 * generating one at the same first start converge on whichever insert wins), and the browsers'
 * push subscriptions, one per session and endpoint. `session_id` has no foreign key because
 * sessions live in Redis when it is configured; `expires_at` is the session's expiry.
 */
export class CreatePush1765000000520 implements MigrationInterface {
  name = 'CreatePush1765000000520';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE push_vapid_keys (
        id smallint PRIMARY KEY CHECK (id = 1),
        public_key varchar(128) NOT NULL,
        private_key varchar(128) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        session_id uuid NOT NULL,
        endpoint varchar(2048) NOT NULL,
        p256dh varchar(128) NOT NULL,
        auth varchar(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A browser's endpoint is its identity: subscribing again moves it to the new session.
    await q.query(
      `CREATE UNIQUE INDEX push_subscriptions_endpoint_uq ON push_subscriptions (endpoint)`,
    );
    await q.query(`CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id)`);
    await q.query(`CREATE INDEX push_subscriptions_session_idx ON push_subscriptions (session_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE push_subscriptions`);
    await q.query(`DROP TABLE push_vapid_keys`);
  }
}
