import { randomUUID } from 'node:crypto';
import type { ConversationView, MessageView, SearchMessagesResponse } from '@chat/shared-dto';
import { createTestApp, RegisteredUser, TestApp } from '../../test/integration/test-app';
import { SEARCH_PLAN_DEFAULTS, searchPositions } from '../messages/message-search';
import { MessagesRepository } from '../messages/messages.repository';

const auth = (u: RegisteredUser) => ({ Authorization: `Bearer ${u.token}` });

describe('message search (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function group(owner: RegisteredUser, members: RegisteredUser[], name = 'g') {
    const res = await t
      .http()
      .post('/api/conversations')
      .set(auth(owner))
      .send({ type: 'group', name, memberIds: members.map((m) => m.user.id) })
      .expect(201);
    return res.body as ConversationView;
  }

  async function send(user: RegisteredUser, conversationId: string, content: string) {
    const res = await t
      .http()
      .post(`/api/conversations/${conversationId}/messages`)
      .set(auth(user))
      .send({ clientId: randomUUID(), content })
      .expect(201);
    return res.body as MessageView;
  }

  async function search(user: RegisteredUser, params: Record<string, string>, status = 200) {
    const res = await t
      .http()
      .get('/api/search/messages')
      .query(params)
      .set(auth(user))
      .expect(status);
    return res.body as SearchMessagesResponse;
  }

  it('finds words in the caller’s conversations only, by prefix, in any language and accent', async () => {
    const [a, b, c] = [await t.register('sa'), await t.register('sb'), await t.register('sc')];
    const ab = await group(a, [b]);
    const bc = await group(b, [c]);
    const m1 = await send(a, ab.id, 'The deployment to production is done');
    const m2 = await send(b, ab.id, 'Le déploiement de demain, café après');
    await send(b, bc.id, 'deployment notes for c only');
    const m4 = await send(a, ab.id, 'Привет, мир');

    const prefix = await search(a, { query: 'deplo' });
    expect(prefix.results.map((r) => r.message.id)).toEqual([m2.id, m1.id]);
    expect(prefix.results[1].snippet).toBe('The <mark>deployment</mark> to production is done');

    expect((await search(a, { query: 'deploiement' })).results.map((r) => r.message.id)).toEqual([
      m2.id,
    ]);
    expect((await search(a, { query: 'CAFE' })).results[0].snippet).toContain('<mark>café</mark>');
    expect((await search(a, { query: 'привет' })).results.map((r) => r.message.id)).toEqual([
      m4.id,
    ]);
    // All words must match; only the last is a prefix.
    expect(
      (await search(a, { query: 'production depl' })).results.map((r) => r.message.id),
    ).toEqual([m1.id]);
    expect((await search(a, { query: 'prod deployment' })).results).toEqual([]);
    // One conversation only, and not one the caller is outside of.
    expect((await search(c, { query: 'deployment', conversationId: bc.id })).results).toHaveLength(
      1,
    );
    await search(c, { query: 'deployment', conversationId: ab.id }, 404);
  });

  it('never finds tombstones, finds edits by their new text only, and forgets a group once removed', async () => {
    const [a, b] = [await t.register('sd'), await t.register('se')];
    const conv = await group(a, [b]);
    const gone = await send(a, conv.id, 'secret launch codes');
    const edited = await send(a, conv.id, 'meeting at noon');
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/messages/${gone.id}`)
      .set(auth(a))
      .expect(200);
    await t
      .http()
      .patch(`/api/conversations/${conv.id}/messages/${edited.id}`)
      .set(auth(a))
      .send({ content: 'meeting at three' })
      .expect(200);
    expect((await search(b, { query: 'launch' })).results).toEqual([]);
    expect((await search(b, { query: 'noon' })).results).toEqual([]);
    expect((await search(b, { query: 'three' })).results.map((r) => r.message.id)).toEqual([
      edited.id,
    ]);
    await t
      .http()
      .delete(`/api/conversations/${conv.id}/members/${b.user.id}`)
      .set(auth(a))
      .expect(204);
    expect((await search(b, { query: 'three' })).results).toEqual([]);
  });

  it('pages newest first with a cursor', async () => {
    const [a, b] = [await t.register('sf'), await t.register('sg')];
    const conv = await group(a, [b]);
    const sent: MessageView[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(a, conv.id, `ticket number ${i}`));
    const first = await search(b, { query: 'ticket', limit: '2' });
    expect(first.results.map((r) => r.message.id)).toEqual([sent[4].id, sent[3].id]);
    const second = await search(b, { query: 'ticket', limit: '2', before: first.next! });
    expect(second.results.map((r) => r.message.id)).toEqual([sent[2].id, sent[1].id]);
    const third = await search(b, { query: 'ticket', limit: '2', before: second.next! });
    expect(third.results.map((r) => r.message.id)).toEqual([sent[0].id]);
    expect(third.next).toBeUndefined();
    // A result opens at its place: the page around its seq.
    const around = await t
      .http()
      .get(`/api/conversations/${conv.id}/messages?around=${sent[2].seq}&limit=3`)
      .set(auth(b))
      .expect(200);
    expect((around.body as MessageView[]).map((m) => m.seq)).toEqual([
      sent[1].seq,
      sent[2].seq,
      sent[3].seq,
    ]);
  });

  it('finds the same messages whether the newest-first scan or the word index answers', async () => {
    const [a, b] = [await t.register('sh'), await t.register('si')];
    const conv = await group(a, [b]);
    const other = await group(a, [b], 'other');
    await send(a, other.id, 'needle déploiement elsewhere');
    const sent: MessageView[] = [];
    for (let i = 0; i < 12; i++)
      sent.push(await send(a, conv.id, i % 3 === 0 ? `Needle Déploiement ${i}` : `hay ${i}`));
    const needles = sent.filter((m) => m.content.startsWith('Needle')).reverse();
    const repository = t.app.get(MessagesRepository);
    const queries = [
      { terms: ['needle'], tsQuery: "'needle':*" },
      // Folded like the index (accent, case), all words required, the last one as a prefix.
      { terms: ['deploiement', 'NEED'], tsQuery: "'deploiement' & 'NEED':*" },
    ];
    for (const words of queries) {
      // Budget 2: the scan stops after the two newest rows and the word index finds the rest.
      for (const scanBudget of [1000, 2]) {
        const find = (cursor: Parameters<typeof searchPositions>[3]) =>
          searchPositions(repository, [conv.id], words, cursor, 3, {
            ...SEARCH_PLAN_DEFAULTS,
            scanBudget,
          });
        const first = await find(null);
        expect(first.map((p) => p.id)).toEqual(needles.slice(0, 3).map((m) => m.id));
        expect(first[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        const rest = await find(first[2] ?? null);
        expect(rest.map((p) => p.id)).toEqual(needles.slice(3).map((m) => m.id));
      }
    }
  });

  it('treats operators, quotes and markup as plain text and escapes snippets', async () => {
    const [a, b] = [await t.register('sh'), await t.register('si')];
    const conv = await group(a, [b]);
    await send(a, conv.id, `<img src=x onerror=alert(1)> payload here`);
    const out = await search(b, { query: 'payload' });
    expect(out.results[0].snippet).toBe(
      '&lt;img src=x onerror=alert(1)&gt; <mark>payload</mark> here',
    );
    for (const query of [`'`, `\\`, '&|!', `a & | b`, `"quoted" (paren`, `:*`, `<->`, `x:* & !`]) {
      const res = await t.http().get('/api/search/messages').query({ query }).set(auth(b));
      expect([200, 400]).toContain(res.status);
    }
    for (const query of ['', '   ', 'x'.repeat(500)]) {
      await search(b, { query }, 400);
    }
    await search(b, { query: 'x', before: 'not-a-cursor' }, 400);
    await search(b, { query: 'x', limit: '500' }, 400);
    await t.http().get('/api/search/messages').query({ query: 'x' }).expect(401);
  });
});
