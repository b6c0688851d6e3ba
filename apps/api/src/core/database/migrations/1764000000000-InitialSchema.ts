import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The product schema. Messages carry a per-conversation `seq` (unique with the conversation)
 * and a `client_id` unique per sender, which together give gap-free ordering and idempotent
 * sends. Receipts are watermark actions: one row per "read/delivered up to seq".
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(32) NOT NULL,
        email varchar(254) NOT NULL,
        password_hash varchar(100) NOT NULL,
        display_name varchar(64),
        avatar_url varchar(2048),
        status_message varchar(140),
        status varchar(16) NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'offline')),
        last_seen timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_lower_uq ON users (lower(username))`);
    await q.query(`CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email))`);
    // Prefix search ("ana" finds "Anabel") on username and display name.
    await q.query(
      `CREATE INDEX users_username_prefix_idx ON users (lower(username) text_pattern_ops)`,
    );
    await q.query(
      `CREATE INDEX users_display_name_prefix_idx ON users (lower(display_name) text_pattern_ops)`,
    );

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        device varchar(200) NOT NULL,
        ip varchar(64),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`);

    await q.query(`
      CREATE TABLE conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type varchar(10) NOT NULL CHECK (type IN ('direct', 'group')),
        name varchar(100),
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        direct_key varchar(73) UNIQUE,
        last_seq bigint NOT NULL DEFAULT 0,
        last_message_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((type = 'direct') = (direct_key IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE conversation_members (
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role varchar(10) NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
        joined_at timestamptz NOT NULL DEFAULT now(),
        last_read_seq bigint NOT NULL DEFAULT 0,
        last_delivered_seq bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (conversation_id, user_id)
      )`);
    // "My conversations" and "who shares a conversation with me" start from the user.
    await q.query(
      `CREATE INDEX conversation_members_user_idx ON conversation_members (user_id, conversation_id)`,
    );

    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        sender_id uuid NOT NULL REFERENCES users (id),
        content text NOT NULL DEFAULT '',
        message_type varchar(10) NOT NULL DEFAULT 'text' CHECK (message_type IN ('text', 'image')),
        file_url varchar(512),
        client_id varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // History pages and catch-up read by (conversation_id, seq); the unique index also forbids
    // two messages with one seq.
    await q.query(
      `CREATE UNIQUE INDEX messages_conversation_seq_uq ON messages (conversation_id, seq)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX messages_sender_client_id_uq ON messages (sender_id, client_id)`,
    );

    await q.query(`
      CREATE TABLE read_receipts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX read_receipts_conversation_seq_idx ON read_receipts (conversation_id, seq)`,
    );
    await q.query(`CREATE INDEX read_receipts_message_idx ON read_receipts (message_id)`);

    await q.query(`
      CREATE TABLE delivery_receipts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX delivery_receipts_conversation_seq_idx ON delivery_receipts (conversation_id, seq)`,
    );
    await q.query(`CREATE INDEX delivery_receipts_message_idx ON delivery_receipts (message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery_receipts`);
    await q.query(`DROP TABLE read_receipts`);
    await q.query(`DROP TABLE messages`);
    await q.query(`DROP TABLE conversation_members`);
    await q.query(`DROP TABLE conversations`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
  }
}
