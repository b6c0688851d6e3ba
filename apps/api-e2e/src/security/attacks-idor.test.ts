// Attacks: insecure direct object references. An outsider (mallory) who knows every id of a
// conversation, its messages, its members and their sessions gets nothing out of any REST
// endpoint or socket event, changes nothing, and receives none of its events; a member removed
// from a group stops receiving at once; uploads have names nobody can guess or climb out of, and
// are served only to their uploader and the members of a conversation where they were sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  ConversationView,
  MessageView,
  SessionView,
  UploadView,
  UserView,
} from '@chat/shared-dto';
import {
  ackError,
  ackedMessage,
  emitAck,
  emitAnyAck,
  nextEvent,
  recordEvents,
  sleep,
  type ChatSocket,
  type ClientEvent,
  type RestResponse,
  type ServerProcess,
  type TestUser,
} from '@chat/test-kit';
import {
  TINY_PNG,
  api,
  assertAlive,
  bootServer,
  connectSocket,
  directConversation,
  groupConversation,
  registerUser,
} from './support';

let server: ServerProcess;
let alice: TestUser, bob: TestUser, carol: TestUser, mallory: TestUser;
let direct: ConversationView, group: ConversationView;
let secretMessage: MessageView;
const sockets: ChatSocket[] = [];
const SECRET_TEXT = 'the launch code is 0000';

before(async () => {
  server = await bootServer();
  [alice, bob, carol, mallory] = await Promise.all(
    ['alice', 'bob', 'carol', 'mallory'].map((p) => registerUser(server, p)),
  );
  direct = await directConversation(server, alice, bob);
  group = await groupConversation(server, alice, [bob, carol], 'private group');
  const sent = await api<MessageView>(server, 'POST', `/api/conversations/${group.id}/messages`, {
    token: alice.token,
    body: { clientId: 'secret-1', content: SECRET_TEXT },
  });
  assert.equal(sent.status, 201, sent.text);
  assert.ok(sent.json);
  secretMessage = sent.json;
});

after(async () => {
  for (const s of sockets) s.close();
  if (server) await server.stop();
});

/** A bearer header for `fetch` (the uploads route also takes the session cookie, tested elsewhere). */
const bearer = (u: { token: string }): Record<string, string> => ({
  authorization: `Bearer ${u.token}`,
});

/** The `userId` of a recorded event's payload, if it has one. */
const userIdOf = (payload: unknown): unknown =>
  typeof payload === 'object' && payload !== null && 'userId' in payload
    ? payload.userId
    : undefined;

/** An outsider's answer must be a refusal that leaks nothing of the conversation. */
function assertRefused(res: RestResponse<unknown>, label: string): void {
  assert.ok(
    [403, 404].includes(res.status),
    `${label}: expected 403/404, got ${res.status} ${res.text.slice(0, 200)}`,
  );
  assert.ok(!res.text.includes(SECRET_TEXT), `${label}: leaked message content`);
  assert.ok(
    !res.text.includes(alice.email) && !res.text.includes(bob.email),
    `${label}: leaked an email`,
  );
}

describe('REST: an outsider holding every id', () => {
  test('cannot read a conversation, its history or receipts', async () => {
    for (const conv of [direct, group]) {
      assertRefused(
        await api(server, 'GET', `/api/conversations/${conv.id}`, { token: mallory.token }),
        'GET conversation',
      );
      assertRefused(
        await api(server, 'GET', `/api/conversations/${conv.id}/messages`, {
          token: mallory.token,
        }),
        'GET messages',
      );
      assertRefused(
        await api(server, 'GET', `/api/conversations/${conv.id}/messages?after=0&limit=100`, {
          token: mallory.token,
        }),
        'GET messages after',
      );
    }
    assertRefused(
      await api(
        server,
        'GET',
        `/api/conversations/${group.id}/messages/${secretMessage.id}/receipts`,
        { token: mallory.token },
      ),
      'GET receipts',
    );
    // A message id of one conversation looked up through another the attacker does belong to.
    const own = await directConversation(server, mallory, carol);
    const cross = await api(
      server,
      'GET',
      `/api/conversations/${own.id}/messages/${secretMessage.id}/receipts`,
      { token: mallory.token },
    );
    assert.ok(
      [400, 403, 404].includes(cross.status),
      `cross-conversation receipts: ${cross.status}`,
    );
    assert.ok(!cross.text.includes(SECRET_TEXT));
    const list = await api<ConversationView[]>(server, 'GET', '/api/conversations', {
      token: mallory.token,
    });
    assert.equal(list.status, 200);
    assert.ok(
      !list.json?.some((c) => c.id === group.id || c.id === direct.id),
      'listed a foreign conversation',
    );
  });

  test('cannot post into, rename, join, re-role, remove from or leave a foreign group', async () => {
    assertRefused(
      await api(server, 'POST', `/api/conversations/${group.id}/messages`, {
        token: mallory.token,
        body: { clientId: 'm-1', content: 'injected' },
      }),
      'POST message',
    );
    assertRefused(
      await api(server, 'PATCH', `/api/conversations/${group.id}`, {
        token: mallory.token,
        body: { name: 'pwned' },
      }),
      'PATCH name',
    );
    assertRefused(
      await api(server, 'POST', `/api/conversations/${group.id}/members`, {
        token: mallory.token,
        body: { userIds: [mallory.id] },
      }),
      'POST members',
    );
    assertRefused(
      await api(server, 'PATCH', `/api/conversations/${group.id}/members/${mallory.id}`, {
        token: mallory.token,
        body: { role: 'admin' },
      }),
      'PATCH role',
    );
    assertRefused(
      await api(server, 'DELETE', `/api/conversations/${group.id}/members/${bob.id}`, {
        token: mallory.token,
      }),
      'DELETE member',
    );
    assertRefused(
      await api(server, 'POST', `/api/conversations/${group.id}/leave`, { token: mallory.token }),
      'POST leave',
    );
    assertRefused(
      await api(server, 'POST', `/api/conversations/${direct.id}/leave`, { token: mallory.token }),
      'POST leave direct',
    );

    // Nothing changed: same name, same members, no injected message.
    const view = await api<ConversationView>(server, 'GET', `/api/conversations/${group.id}`, {
      token: alice.token,
    });
    assert.equal(view.json?.name, 'private group');
    assert.deepEqual(
      view.json?.members.map((m) => m.id).sort(),
      [alice.id, bob.id, carol.id].sort(),
    );
    const history = await api<MessageView[]>(
      server,
      'GET',
      `/api/conversations/${group.id}/messages`,
      {
        token: alice.token,
      },
    );
    assert.ok(!history.json?.some((m) => m.content === 'injected'));
  });

  test('a plain member cannot rename the group, remove the owner or promote themself', async () => {
    const rename = await api(server, 'PATCH', `/api/conversations/${group.id}`, {
      token: bob.token,
      body: { name: 'bob rules' },
    });
    assert.equal(rename.status, 403, rename.text);
    const remove = await api(
      server,
      'DELETE',
      `/api/conversations/${group.id}/members/${alice.id}`,
      { token: bob.token },
    );
    assert.equal(remove.status, 403, remove.text);
    const promote = await api(server, 'PATCH', `/api/conversations/${group.id}/members/${bob.id}`, {
      token: bob.token,
      body: { role: 'admin' },
    });
    assert.equal(promote.status, 403, promote.text);
  });

  test("users/:id and search never show another user's email; sessions of others cannot be revoked", async () => {
    const other = await api<UserView>(server, 'GET', `/api/users/${alice.id}`, {
      token: mallory.token,
    });
    assert.equal(other.status, 200);
    assert.equal(other.json?.email, undefined);
    assert.ok(!other.text.includes(alice.email));
    assert.ok(
      !/password|hash/i.test(Object.keys(other.json ?? {}).join(',')),
      'no credential fields',
    );
    const search = await api<UserView[]>(
      server,
      'GET',
      `/api/users/search?query=${alice.username.slice(0, 6)}`,
      { token: mallory.token },
    );
    assert.equal(search.status, 200);
    assert.ok((search.json?.length ?? 0) >= 1);
    assert.ok(!search.text.includes('@example.test'), 'search leaked an email');

    const sessions = await api<SessionView[]>(server, 'GET', '/api/auth/sessions', {
      token: alice.token,
    });
    const aliceSession = sessions.json?.find((s) => s.current);
    assert.ok(aliceSession, 'alice sees her session');
    const revoke = await api(server, 'DELETE', `/api/auth/sessions/${aliceSession.id}`, {
      token: mallory.token,
    });
    assert.equal(revoke.status, 404, revoke.text);
    const still = await api(server, 'GET', '/api/auth/me', { token: alice.token });
    assert.equal(still.status, 200, "alice's session survived mallory's revoke");
    const mine = await api<SessionView[]>(server, 'GET', '/api/auth/sessions', {
      token: mallory.token,
    });
    assert.ok(
      !mine.json?.some((s) => s.id === aliceSession.id),
      "mallory's session list holds only hers",
    );
  });
});

describe('Socket: an outsider', () => {
  test('cannot join, type into, send to, or mark receipts in a foreign conversation, and hears nothing of it', async () => {
    const m = await connectSocket(server, mallory.token);
    const a = await connectSocket(server, alice.token);
    const b = await connectSocket(server, bob.token);
    sockets.push(m, a, b);
    const heardByMallory = recordEvents(m);
    const heardByAlice = recordEvents(a);

    const attempts: [ClientEvent, object][] = [
      ['conversation:join', { conversationId: group.id }],
      ['typing:start', { conversationId: group.id }],
      ['typing:stop', { conversationId: group.id }],
      [
        'message:send',
        { conversationId: group.id, clientId: 'm-sock-1', content: 'injected over socket' },
      ],
      ['message:delivered', { conversationId: group.id, messageId: secretMessage.id }],
      ['message:read', { conversationId: group.id, messageId: secretMessage.id }],
    ];
    for (const [event, payload] of attempts) {
      const ack = await emitAnyAck(m, event, payload);
      assert.equal(ack.ok, false, `${event} must be refused`);
      assert.ok(
        ['NOT_FOUND', 'FORBIDDEN'].includes(ackError(ack).code),
        `${event}: ${JSON.stringify(ack)}`,
      );
      assert.ok(!JSON.stringify(ack).includes(SECRET_TEXT));
    }

    // Members talk and type; the outsider's socket must get none of it.
    const got = nextEvent(b, 'message:new', { match: (msg) => msg.clientId === 'a-sock-1' });
    const ack = await emitAck(a, 'message:send', {
      conversationId: group.id,
      clientId: 'a-sock-1',
      content: 'members only',
    });
    assert.equal(ack.ok, true);
    await got;
    assert.equal((await emitAck(a, 'typing:start', { conversationId: group.id })).ok, true);
    assert.equal(
      (
        await emitAck(b, 'message:read', {
          conversationId: group.id,
          messageId: ackedMessage(ack).id,
        })
      ).ok,
      true,
    );
    await sleep(500);
    const leaked = heardByMallory.filter((e) => JSON.stringify(e.payload ?? '').includes(group.id));
    assert.deepEqual(leaked, [], 'the outsider received events of a foreign conversation');
    assert.ok(
      !heardByAlice.some((e) => e.event === 'typing:start' && userIdOf(e.payload) === mallory.id),
      "mallory's typing reached alice",
    );
    assert.ok(
      !heardByAlice.some(
        (e) => e.event.startsWith('message:') && userIdOf(e.payload) === mallory.id,
      ),
      "mallory's receipt reached alice",
    );

    const history = await api<MessageView[]>(
      server,
      'GET',
      `/api/conversations/${group.id}/messages`,
      {
        token: alice.token,
      },
    );
    assert.ok(
      !history.json?.some((m2) => m2.content.includes('injected')),
      'an outsider message was stored',
    );
  });

  test('a removed member stops receiving at once and can no longer send or type', async () => {
    const dave = await registerUser(server, 'dave');
    const team = await groupConversation(server, alice, [dave, carol], 'team');
    const a = await connectSocket(server, alice.token);
    const d = await connectSocket(server, dave.token);
    const c = await connectSocket(server, carol.token);
    sockets.push(a, d, c);
    const heardByDave = recordEvents(d);

    const before1 = nextEvent(d, 'message:new', { match: (msg) => msg.clientId === 'team-1' });
    assert.equal(
      (
        await emitAck(a, 'message:send', {
          conversationId: team.id,
          clientId: 'team-1',
          content: 'welcome',
        })
      ).ok,
      true,
    );
    await before1;

    const removed = nextEvent(d, 'conversation:removed', {
      match: (e) => e.conversationId === team.id,
    });
    const res = await api(server, 'DELETE', `/api/conversations/${team.id}/members/${dave.id}`, {
      token: alice.token,
    });
    assert.equal(res.status, 204, res.text);
    await removed;
    const mark = heardByDave.length;

    // Straight after the 204: no grace period in which the old member list is still used.
    const carolGot = nextEvent(c, 'message:new', { match: (msg) => msg.clientId === 'team-2' });
    assert.equal(
      (
        await emitAck(a, 'message:send', {
          conversationId: team.id,
          clientId: 'team-2',
          content: 'after dave left',
        })
      ).ok,
      true,
    );
    await carolGot;
    assert.equal((await emitAck(a, 'typing:start', { conversationId: team.id })).ok, true);
    await sleep(400);
    const late = heardByDave
      .slice(mark)
      .filter(
        (e) =>
          e.event !== 'conversation:removed' && JSON.stringify(e.payload ?? '').includes(team.id),
      );
    assert.deepEqual(late, [], 'the removed member still received events');

    const late2: [ClientEvent, object][] = [
      ['message:send', { conversationId: team.id, clientId: 'dave-late', content: 'still here?' }],
      ['typing:start', { conversationId: team.id }],
      ['conversation:join', { conversationId: team.id }],
    ];
    for (const [event, payload] of late2) {
      const ack = await emitAnyAck(d, event, payload);
      assert.equal(ack.ok, false, `${event} after removal`);
      assert.ok(['NOT_FOUND', 'FORBIDDEN'].includes(ackError(ack).code));
    }
    assert.ok(
      [403, 404].includes(
        (await api(server, 'GET', `/api/conversations/${team.id}/messages`, { token: dave.token }))
          .status,
      ),
    );
  });
});

describe('Uploads: unguessable names, served to members only', () => {
  test('names are 128-bit random hex with a fixed extension, and differ per upload', async () => {
    const names: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const form = new FormData();
      form.append(
        'file',
        new Blob([new Uint8Array(TINY_PNG)], { type: 'image/png' }),
        '../../evil name.html',
      );
      const res = await api<UploadView>(server, 'POST', '/api/upload', {
        token: alice.token,
        body: form,
      });
      assert.equal(res.status, 201, res.text);
      assert.ok(res.json);
      assert.match(res.json.url, /^\/api\/uploads\/[0-9a-f]{32}\.(jpg|png|gif|webp)$/);
      assert.match(res.json.thumbnailUrl ?? '', /^\/api\/uploads\/[0-9a-f]{32}-thumb\.webp$/);
      assert.ok(
        !res.json.url.includes('evil'),
        'the client file name never reaches the stored name',
      );
      names.push(res.json.url);
      const served = await fetch(`${server.url}${res.json.url}`, { headers: bearer(alice) });
      assert.equal(served.status, 200);
      assert.match(served.headers.get('content-type') ?? '', /^image\//);
      // Knowing the URL grants nothing: an outsider's token gets the 404 of a missing file.
      const stolen = await fetch(`${server.url}${res.json.url}`, { headers: bearer(mallory) });
      assert.equal(stolen.status, 404);
      assert.equal((await fetch(`${server.url}${res.json.url}`)).status, 401);
    }
    assert.equal(new Set(names).size, names.length);
    // Unguessable: one hex digit changed is a miss, and so is the upper-case form.
    const url = names[0] ?? '';
    const flipped = url.replace(/[0-9a-f](?=\.)/, (d: string) => (d === '0' ? '1' : '0'));
    assert.equal((await fetch(`${server.url}${flipped}`, { headers: bearer(alice) })).status, 404);
    const upper = url.replace(/[0-9a-f]{32}/, (hex: string) => hex.toUpperCase());
    assert.equal((await fetch(`${server.url}${upper}`, { headers: bearer(alice) })).status, 404);

    // Someone else's upload cannot be sent as one's own image message (no hot-linking by id).
    const m = await connectSocket(server, mallory.token);
    sockets.push(m);
    const own = await directConversation(server, mallory, carol);
    const ack = await emitAck(m, 'message:send', {
      conversationId: own.id,
      clientId: 'steal-1',
      type: 'image',
      fileUrl: url,
    });
    assert.equal(ack.ok, false);
    assert.equal(ackError(ack).code, 'BAD_REQUEST');
  });

  test('path traversal and encoding tricks are 404, never a file', async () => {
    const valid = '0123456789abcdef0123456789abcdef';
    const attempts = [
      '..%2f..%2fetc%2fpasswd',
      '..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%5c..%5cetc%5cpasswd',
      '%252e%252e%252fetc%252fpasswd',
      '....%2f%2f....%2f%2fetc%2fpasswd',
      '..%2f..%2fpackage.json',
      '..%2f..%2f.env',
      `${valid}.png%00.html`,
      `${valid}.html`,
      `${valid}.svg`,
      `${valid}.png.html`,
      `${valid}-thumb.png`,
      `${valid}`,
      'a'.repeat(10_000),
      '%c0%ae%c0%ae%2fetc%2fpasswd',
    ];
    for (const name of attempts) {
      const res = await fetch(`${server.url}/api/uploads/${name}`, {
        redirect: 'manual',
        headers: bearer(alice),
      });
      const text = await res.text();
      assert.ok([400, 404].includes(res.status), `${name.slice(0, 60)}: ${res.status}`);
      assert.ok(
        !/root:|"name":\s*"chat|JWT_SECRET/.test(text),
        `${name.slice(0, 60)} returned a file`,
      );
    }
    await assertAlive(server);
  });
});
