import { randomUUID } from 'node:crypto';
import type { Ack, ConversationView, MessageView, ImageUploadView } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { bearer, createTestApp, RegisteredUser, TestApp } from '../../test/integration/test-app';
import { solidImage } from '../../test/upload/image-fixtures';
import { SESSION_COOKIE } from '../auth/session-cookie';

/** Who may fetch an upload, judged by the requester's token or session cookie (integration). */
describe('upload access (integration)', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  let member: RegisteredUser;
  let outsider: RegisteredUser;

  beforeAll(async () => {
    t = await createTestApp();
    [owner, member, outsider] = await Promise.all([
      t.register('up-own'),
      t.register('up-mem'),
      t.register('up-out'),
    ]);
  });

  afterAll(async () => {
    await t.app.get(DataSource).query('DELETE FROM uploads WHERE owner_id = $1', [owner.user.id]);
    await t.close();
  });

  async function uploadImage(): Promise<ImageUploadView> {
    const res = await t
      .http()
      .post('/api/upload')
      .set(bearer(owner))
      .attach('file', await solidImage('png', 40, 30), 'a.png')
      .expect(201);
    return res.body as ImageUploadView;
  }

  async function group(members: RegisteredUser[]): Promise<ConversationView> {
    const res = await t
      .http()
      .post('/api/conversations')
      .set(bearer(owner))
      .send({ type: 'group', name: 'files', memberIds: members.map((m) => m.user.id) })
      .expect(201);
    return res.body as ConversationView;
  }

  async function sendImage(conversationId: string, fileUrl: string): Promise<MessageView> {
    const res = await t
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(bearer(owner))
      .send({ clientId: randomUUID(), type: 'image', fileUrl })
      .expect(201);
    return res.body as MessageView;
  }

  /** Status of GET `url` with `who`'s bearer token, or with their cookie only. */
  async function status(url: string, who: RegisteredUser, via: 'token' | 'cookie') {
    const req = t.http().get(url);
    const res = await (via === 'token'
      ? req.set(bearer(who))
      : req.set('Cookie', `${SESSION_COOKIE}=${who.token}`));
    return res.status;
  }

  it('login and register set the HttpOnly, SameSite=Strict uploads cookie; logout clears it', async () => {
    const name = `ck${Date.now().toString(36)}`;
    const reg = await t
      .http()
      .post('/api/auth/register')
      .send({ username: name, email: `${name}@example.test`, password: 'correct horse battery' })
      .expect(201);
    const [cookie] = reg.headers['set-cookie'] as unknown as string[];
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=${(reg.body as { token: string }).token};`),
    );
    expect(cookie).toMatch(/; Path=\/api\/uploads/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Expires=/);
    // The test server is reached as 127.0.0.1: plain http, so no Secure (browsers would drop it).
    expect(cookie).not.toMatch(/; Secure/);

    const secure = await t
      .http()
      .post('/api/auth/login')
      .set('Host', 'chat.example.com')
      .send({ username: name, password: 'correct horse battery' })
      .expect(200);
    expect((secure.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure/);

    const token = (secure.body as { token: string }).token;
    const out = await t
      .http()
      .post('/api/auth/logout')
      .set('Authorization', `Bearer ${token}`)
      .expect(204);
    expect((out.headers['set-cookie'] as unknown as string[])[0]).toMatch(
      new RegExp(`^${SESSION_COOKIE}=; Path=/api/uploads; Expires=Thu, 01 Jan 1970`),
    );
  });

  it('GET /api/auth/me hands a restored session its cookie back', async () => {
    const res = await t.http().get('/api/auth/me').set(bearer(member)).expect(200);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(
      new RegExp(`^${SESSION_COOKIE}=${member.token};`),
    );
  });

  it('serves an image and its thumbnail to the uploader and members only, by token or cookie', async () => {
    const view = await uploadImage();
    for (const url of [view.url, view.thumbnailUrl]) {
      // Uploaded, not sent yet: the uploader alone.
      expect(await status(url, owner, 'token')).toBe(200);
      expect(await status(url, owner, 'cookie')).toBe(200);
      expect(await status(url, member, 'token')).toBe(404);
      expect(
        await t
          .http()
          .get(url)
          .then((r) => r.status),
      ).toBe(401);
    }
    const conv = await group([member]);
    await sendImage(conv.id, view.url);
    for (const url of [view.url, view.thumbnailUrl]) {
      for (const via of ['token', 'cookie'] as const) {
        expect(await status(url, member, via)).toBe(200);
        expect(await status(url, outsider, via)).toBe(404);
      }
    }
    const served = await t.http().get(view.url).set(bearer(member)).expect(200);
    expect(served.headers['cache-control']).toBe('private, max-age=86400, immutable');
  });

  it('a member removed from the group loses access at once', async () => {
    const view = await uploadImage();
    const conv = await group([member, outsider]);
    await sendImage(conv.id, view.url);
    expect(await status(view.url, outsider, 'cookie')).toBe(200);
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/members/${outsider.user.id}`)
      .set(bearer(owner))
      .expect((res) => expect([200, 204]).toContain(res.status));
    expect(await status(view.url, outsider, 'cookie')).toBe(404);
    expect(await status(view.thumbnailUrl, outsider, 'token')).toBe(404);
    expect(await status(view.url, member, 'cookie')).toBe(200);
  });

  it('deleting the message deletes the file, thumbnail included', async () => {
    const view = await uploadImage();
    const conv = await group([member]);
    const message = await sendImage(conv.id, view.url);
    const socket = await t.connect(owner.token);
    const ack = await (
      socket.timeout(5000) as unknown as {
        emitWithAck(e: string, p: unknown): Promise<Ack<object>>;
      }
    ).emitWithAck('message:delete', { conversationId: conv.id, messageId: message.id });
    expect(ack.ok).toBe(true);
    // The file goes after commit, as a domain event: wait for it.
    for (let i = 0; i < 50 && (await status(view.url, owner, 'token')) === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const url of [view.url, view.thumbnailUrl]) {
      expect(await status(url, owner, 'token')).toBe(404);
      expect(await status(url, member, 'cookie')).toBe(404);
    }
  });

  it('a revoked session’s cookie grants nothing; the cookie never authenticates other routes', async () => {
    const view = await uploadImage();
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ username: owner.user.username, password: owner.password })
      .expect(200);
    const token = (login.body as { token: string }).token;
    const cookie = `${SESSION_COOKIE}=${token}`;
    await t.http().get(view.url).set('Cookie', cookie).expect(200);
    await t.http().get('/api/auth/me').set('Cookie', cookie).expect(401);
    await t.http().post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    await t.http().get(view.url).set('Cookie', cookie).expect(401);
    await t.http().get(view.url).set('Cookie', `${SESSION_COOKIE}=not-a-jwt`).expect(401);
  });
});
