-- 1M messages over 2,000 groups of 200 users, for the query plans in docs/performance.md.
-- Run on an empty database after `npm run migrate up`: psql -f bench/sql/plans-1m.sql
INSERT INTO users (id, username, email, password_hash)
SELECT gen_random_uuid(), 'u' || i, 'u' || i || '@x.test', 'x' FROM generate_series(1, 200) i;
INSERT INTO conversations (id, type, name, created_by)
SELECT gen_random_uuid(), 'group', 'g' || i, NULL FROM generate_series(1, 2000) i;
WITH c AS (SELECT id, row_number() OVER (ORDER BY id) n FROM conversations),
     u AS (SELECT id, row_number() OVER (ORDER BY id) n FROM users)
INSERT INTO conversation_members (conversation_id, user_id, role)
SELECT c.id, u.id, 'member' FROM c JOIN u ON (c.n % 200) = (u.n - 1) OR (c.n % 40 = 0 AND u.n = 1)
ON CONFLICT DO NOTHING;
WITH c AS (SELECT id, row_number() OVER (ORDER BY id) n FROM conversations),
     w AS (SELECT ARRAY['deploy','release','lunch','meeting','review','bug','fix','coffee','design','plan','ship','test','prod','staging','merge','hello','thanks','tomorrow','today','weekend'] words)
INSERT INTO messages (conversation_id, seq, rev, sender_id, content, client_id, created_at)
SELECT c.id, s, s, (SELECT id FROM users LIMIT 1),
       w.words[1 + (s * 7 + c.n) % 20] || ' ' || w.words[1 + (s * 13 + c.n) % 20] || ' item ' || s || CASE WHEN s % 997 = 0 THEN ' zanzibar' ELSE '' END,
       'k' || c.n || '-' || s, now() - (500 - s) * interval '1 minute'
  FROM c, w, generate_series(1, 500) s;
UPDATE conversations c SET last_seq = 500, last_rev = 500;
ANALYZE;
