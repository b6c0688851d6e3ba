// Attachments on the built server: an image and a document sent in a group are served to its
// members, by bearer token and by the session cookie set at login, and to nobody else: an
// outsider holding the URLs gets 403/404 with their own token and with their own cookie.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { MessageView, UploadView } from '@chat/shared-dto';
import type { ServerProcess, TestUser } from '@chat/test-kit';
import { TINY_PNG, api, bootServer, groupConversation, registerUser } from './support';

let server: ServerProcess;
let alice: TestUser, bob: TestUser, mallory: TestUser;
const urls: string[] = [];

/** Logs in over HTTP and returns the `chat_session=...` pair the server set. */
async function sessionCookie(user: TestUser): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('chat_session='));
  assert.ok(cookie, 'login sets the session cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  return cookie.split(';')[0];
}

async function upload(user: TestUser, bytes: Buffer, name: string, type: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await api<UploadView>(server, 'POST', '/api/upload', {
    token: user.token,
    body: form,
  });
  assert.equal(res.status, 201, res.text);
  assert.ok(res.json);
  return res.json;
}

before(async () => {
  server = await bootServer();
  [alice, bob, mallory] = await Promise.all(
    ['att-a', 'att-b', 'att-m'].map((p) => registerUser(server, p)),
  );
  const group = await groupConversation(server, alice, [bob], 'attachments');
  const image = await upload(alice, TINY_PNG, 'a.png', 'image/png');
  const pdf = await upload(alice, Buffer.from('%PDF-1.4\n%%EOF\n'), 'plan.pdf', 'application/pdf');
  assert.equal(pdf.kind, 'file');
  for (const [type, view] of [
    ['image', image],
    ['file', pdf],
  ] as const) {
    const sent = await api<MessageView>(server, 'POST', `/api/conversations/${group.id}/messages`, {
      token: alice.token,
      body: { clientId: `att-${type}`, type, fileUrl: view.url },
    });
    assert.equal(sent.status, 201, sent.text);
    urls.push(view.url);
  }
  urls.push(image.thumbnailUrl ?? '');
});

after(async () => {
  if (server) await server.stop();
});

test('members fetch image, thumbnail and document by token and by cookie; an outsider gets 403/404', async () => {
  const [bobCookie, malloryCookie] = [await sessionCookie(bob), await sessionCookie(mallory)];
  for (const url of urls) {
    const get = (headers: Record<string, string>) => fetch(`${server.url}${url}`, { headers });
    assert.equal((await get({ authorization: `Bearer ${bob.token}` })).status, 200, url);
    assert.equal((await get({ cookie: bobCookie })).status, 200, url);
    const outsider: Record<string, string>[] = [
      { authorization: `Bearer ${mallory.token}` },
      { cookie: malloryCookie },
    ];
    for (const headers of outsider) {
      const res = await get(headers);
      assert.ok([403, 404].includes(res.status), `${url} for an outsider: ${res.status}`);
    }
    assert.equal((await get({})).status, 401, `${url} without credentials`);
  }
});
