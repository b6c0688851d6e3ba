import { randomUUID } from 'node:crypto';
import type { ConversationView, MessageView, UserView } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { createTestApp, RegisteredUser, TestApp, waitFor } from '../../test/integration/test-app';

const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });

describe('deleting your account (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' } });
  });
  afterAll(() => t.close());

  /** Every text-like column of every table where `needle` occurs, as `table.column`. */
  async function whereFound(needle: string): Promise<string[]> {
    const db = t.app.get(DataSource);
    const columns = await db.query<{ table_name: string; column_name: string }[]>(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables tb
           ON tb.table_name = c.table_name AND tb.table_schema = c.table_schema
        WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
          AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'tsvector')`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const [row] = await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1`,
        [`%${needle}%`],
      );
      if (row.n > 0) found.push(`${table_name}.${column_name}`);
    }
    return found;
  }

  it('keeps the messages as "Deleted user" and leaves no email or name anywhere in the database', async () => {
    const [ana, bob] = [await t.register('erase'), await t.register('keeper')];
    const displayName = `Zelda ${randomUUID().slice(0, 8)}`;
    await t
      .http()
      .patch('/api/users/me')
      .set(auth(ana))
      .send({ displayName, statusMessage: 'hi' })
      .expect(200);
    const direct = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(ana))
        .send({ userId: bob.user.id })
        .expect(201)
    ).body as ConversationView;
    const group = (
      await t
        .http()
        .post('/api/conversations')
        .set(auth(ana))
        .send({ type: 'group', name: 'ana’s group', memberIds: [bob.user.id] })
        .expect(201)
    ).body as ConversationView;
    for (const conversationId of [direct.id, group.id]) {
      await t
        .http()
        .post(`/api/conversations/${conversationId}/messages`)
        .set(auth(ana))
        .send({ clientId: randomUUID(), content: 'a message that stays' })
        .expect(201);
    }
    await t
      .http()
      .post('/api/push/subscriptions')
      .set(auth(ana))
      .send({
        endpoint: 'http://127.0.0.1:9/push/x',
        keys: { p256dh: 'BNcRd'.padEnd(87, 'A'), auth: 'tBHItJI5svbpez7KI4CCXg' },
      })
      .expect(201);
    const subscriptions = () =>
      t.app
        .get(DataSource)
        .query('SELECT id FROM push_subscriptions WHERE user_id = $1', [ana.user.id]);
    expect(await subscriptions()).toHaveLength(1);
    // Before: the scan finds her, so it can fail.
    const email = String(ana.user.email);
    expect(await whereFound(email)).toEqual(['users.email']);
    expect(await whereFound(displayName)).toEqual(['users.display_name']);
    const socket = await t.connect(ana.token);
    const closed = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));

    await t.http().delete('/api/users/me').set(auth(ana)).send({}).expect(400);
    await t
      .http()
      .delete('/api/users/me')
      .set(auth(ana))
      .send({ password: 'wrong-password' })
      .expect(401);
    await t
      .http()
      .delete('/api/users/me')
      .set(auth(ana))
      .send({ password: ana.password })
      .expect(204);

    await closed;
    await t.http().get('/api/auth/me').set(auth(ana)).expect(401);
    await t
      .http()
      .post('/api/auth/login')
      .send({ email: ana.user.email, password: ana.password })
      .expect(401);
    for (const needle of [email, ana.user.username, displayName])
      expect({ needle, found: await whereFound(needle) }).toEqual({ needle, found: [] });
    expect(await subscriptions()).toEqual([]);

    // Bob keeps both histories, the sender shown as "Deleted user"; the group is his now.
    const history = (
      await t.http().get(`/api/conversations/${direct.id}/messages`).set(auth(bob)).expect(200)
    ).body as MessageView[];
    expect(history).toMatchObject([{ senderId: ana.user.id, content: 'a message that stays' }]);
    const gone = (await t.http().get(`/api/users/${ana.user.id}`).set(auth(bob)).expect(200))
      .body as UserView;
    expect(gone).toMatchObject({
      displayName: 'Deleted user',
      avatarUrl: null,
      statusMessage: null,
    });
    expect(gone.username).toMatch(/^deleted-/);
    await waitFor(50);
    const after = (await t.http().get(`/api/conversations/${group.id}`).set(auth(bob)).expect(200))
      .body as ConversationView;
    expect(after.members.map((m) => [m.id, m.role])).toEqual([[bob.user.id, 'owner']]);
    const searched = (
      await t.http().get('/api/users/search').query({ query: 'deleted' }).set(auth(bob)).expect(200)
    ).body as UserView[];
    expect(searched.find((u) => u.id === ana.user.id)).toBeUndefined();
  });
});
