import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Ack,
  ConversationView,
  EncryptedPayload,
  MessageView,
  OwnDeviceView,
  PreKeyBundleView,
} from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { SignalDevice } from '@chat/test-kit';
import {
  bearer,
  ClientSocket,
  createTestApp,
  nextEvent,
  RegisteredUser,
  TestApp,
} from '../../test/integration/test-app';

type MessageAck = Ack<{ message: MessageView }>;

const emit = (socket: ClientSocket, event: string, payload: unknown): Promise<MessageAck> =>
  (
    socket.timeout(5000) as unknown as {
      emitWithAck(e: string, p: unknown): Promise<MessageAck>;
    }
  ).emitWithAck(event, payload);

function ok(ack: MessageAck): MessageView {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return ack.message;
}

const key = () => randomBytes(33).toString('base64');

function deviceBody(preKeys = 5) {
  return {
    registrationId: 1 + Math.floor(Math.random() * 16000),
    identityKey: key(),
    signedPreKey: { keyId: 1, publicKey: key(), signature: randomBytes(64).toString('base64') },
    preKeys: Array.from({ length: preKeys }, (_, i) => ({ keyId: i + 1, publicKey: key() })),
  };
}

describe('end-to-end encrypted direct conversations (integration)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function encryptedDirect(a: RegisteredUser, b: RegisteredUser) {
    const res = await t
      .http()
      .post('/api/conversations')
      .set(bearer(a))
      .send({ userId: b.user.id, encrypted: true })
      .expect(201);
    return res.body as ConversationView;
  }

  describe('the key directory', () => {
    it('registers devices under increasing ids and counts their one-time prekeys', async () => {
      const u = await t.register('kd');
      const first = await t.http().post('/api/keys/devices').set(bearer(u)).send(deviceBody(5));
      const second = await t.http().post('/api/keys/devices').set(bearer(u)).send(deviceBody(3));
      expect([first.status, second.status]).toEqual([201, 201]);
      expect((first.body as OwnDeviceView).deviceId).toBe(1);
      expect(second.body).toMatchObject({ deviceId: 2, preKeysLeft: 3, userId: u.user.id });
      const own = await t.http().get('/api/keys/devices').set(bearer(u)).expect(200);
      expect((own.body as OwnDeviceView[]).map((d) => [d.deviceId, d.preKeysLeft])).toEqual([
        [1, 5],
        [2, 3],
      ]);
      const topUp = await t
        .http()
        .post('/api/keys/devices/2/prekeys')
        .set(bearer(u))
        .send({ preKeys: [{ keyId: 10, publicKey: key() }] })
        .expect(200);
      expect(topUp.body).toEqual({ preKeysLeft: 4 });
    });

    it('hands each one-time prekey out once, and only to people who share a conversation', async () => {
      const [a, b, stranger] = [
        await t.register('kc'),
        await t.register('kc'),
        await t.register('kc'),
      ];
      await t.http().post('/api/keys/devices').set(bearer(b)).send(deviceBody(2)).expect(201);
      await t
        .http()
        .post('/api/conversations')
        .set(bearer(a))
        .send({ userId: b.user.id })
        .expect(201);
      const claim = () =>
        t.http().post(`/api/keys/users/${b.user.id}/bundles`).set(bearer(a)).send({});
      const [one, two, three] = [await claim(), await claim(), await claim()];
      const keys = [one, two, three].map((r) => (r.body as PreKeyBundleView[])[0].preKey?.keyId);
      expect(keys).toEqual([1, 2, undefined]);
      expect((three.body as PreKeyBundleView[])[0].signedPreKey.keyId).toBe(1);
      await t
        .http()
        .post(`/api/keys/users/${b.user.id}/bundles`)
        .set(bearer(stranger))
        .send({})
        .expect(403);
      // Public identities are public.
      const devices = await t
        .http()
        .get(`/api/keys/users/${b.user.id}/devices`)
        .set(bearer(stranger))
        .expect(200);
      expect(devices.body).toHaveLength(1);
    });

    it('answers bad keys, duplicate ids, too many prekeys and unknown devices with 4xx', async () => {
      const u = await t.register('kb');
      const bad = [
        { ...deviceBody(), identityKey: 'not base64!' },
        { ...deviceBody(), preKeys: [] },
        { ...deviceBody(), registrationId: 0 },
        { ...deviceBody(), signedPreKey: { keyId: 1, publicKey: key() } },
        {
          ...deviceBody(),
          preKeys: [
            { keyId: 1, publicKey: key() },
            { keyId: 1, publicKey: key() },
          ],
        },
      ];
      for (const body of bad)
        await t.http().post('/api/keys/devices').set(bearer(u)).send(body).expect(400);
      await t.http().post('/api/keys/devices').set(bearer(u)).send(deviceBody(100)).expect(201);
      await t
        .http()
        .post('/api/keys/devices/1/prekeys')
        .set(bearer(u))
        .send({
          preKeys: Array.from({ length: 100 }, (_, i) => ({ keyId: 200 + i, publicKey: key() })),
        })
        .expect(200);
      await t
        .http()
        .post('/api/keys/devices/1/prekeys')
        .set(bearer(u))
        .send({ preKeys: [{ keyId: 999, publicKey: key() }] })
        .expect(400);
      await t
        .http()
        .post('/api/keys/devices/7/prekeys')
        .set(bearer(u))
        .send({ preKeys: [{ keyId: 1, publicKey: key() }] })
        .expect(404);
      await t.http().delete('/api/keys/devices/abc').set(bearer(u)).expect(400);
      await t.http().delete('/api/keys/devices/1').set(bearer(u)).expect(204);
      await t.http().delete('/api/keys/devices/1').set(bearer(u)).expect(404);
      await t.http().get(`/api/keys/users/${randomUUID()}/devices`).set(bearer(u)).expect(404);
    });

    it('keeps the ten newest devices of a user', async () => {
      const u = await t.register('kx');
      for (let i = 0; i < 11; i += 1)
        await t.http().post('/api/keys/devices').set(bearer(u)).send(deviceBody(1)).expect(201);
      const own = await t.http().get('/api/keys/devices').set(bearer(u)).expect(200);
      expect((own.body as OwnDeviceView[]).map((d) => d.deviceId)).toEqual([
        2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      ]);
    });
  });

  describe('conversations', () => {
    it('switches on for good, from either member, with one system line, and never for groups', async () => {
      const [a, b] = [await t.register('sw'), await t.register('sw')];
      const plain = await t
        .http()
        .post('/api/conversations')
        .set(bearer(a))
        .send({ userId: b.user.id })
        .expect(201);
      expect((plain.body as ConversationView).encrypted).toBe(false);
      const bSocket = await t.connect(b.token);
      const line = nextEvent(bSocket, 'message:new');
      const on = await t
        .http()
        .put(`/api/conversations/${plain.body.id}/encryption`)
        .set(bearer(b))
        .expect(200);
      expect(on.body).toMatchObject({ encrypted: true });
      expect((await line).type).toBe('system');
      // A system line is not news: nobody gets an unread badge for it.
      const list = await t.http().get('/api/conversations').set(bearer(a)).expect(200);
      const seen = (list.body as ConversationView[]).find((c) => c.id === plain.body.id);
      expect(seen).toMatchObject({ encrypted: true, unreadCount: 0 });
      await t
        .http()
        .put(`/api/conversations/${plain.body.id}/encryption`)
        .set(bearer(a))
        .expect(200);
      const history = await t
        .http()
        .get(`/api/conversations/${plain.body.id}/messages`)
        .set(bearer(a))
        .expect(200);
      const system = (history.body as MessageView[]).filter((m) => m.type === 'system');
      expect(system).toHaveLength(1);
      expect(system[0]).toMatchObject({
        senderId: b.user.id,
        system: { kind: 'encryption-enabled' },
      });
      const c = await t.register('sw');
      const g = await t
        .http()
        .post('/api/conversations')
        .set(bearer(a))
        .send({ type: 'group', name: 'g', memberIds: [b.user.id, c.user.id] })
        .expect(201);
      await t.http().put(`/api/conversations/${g.body.id}/encryption`).set(bearer(a)).expect(400);
      await t
        .http()
        .post('/api/conversations')
        .set(bearer(a))
        .send({ type: 'group', name: 'g', memberIds: [b.user.id], encrypted: true })
        .expect(400);
      await t
        .http()
        .put(`/api/conversations/${g.body.id}/encryption`)
        .set(bearer(await t.register('sw')))
        .expect(404);
    });

    it('refuses plaintext in an encrypted conversation, envelopes in a plain one, and stale device lists', async () => {
      const [a, b] = [await t.register('rf'), await t.register('rf')];
      const conv = await encryptedDirect(a, b);
      const aSocket = await t.connect(a.token);
      const send = (payload: object) =>
        emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          ...payload,
        });
      const plain = await send({ content: 'hello in clear' });
      expect(plain).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const ana = await SignalDevice.register(t.url, a);
      // Ben has no device yet.
      const early = await send({
        encrypted: {
          senderDeviceId: ana.deviceId,
          envelopes: [{ userId: b.user.id, deviceId: 1, type: 3, body: 'AAAA' }],
        },
      });
      expect(early).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const ben = await SignalDevice.register(t.url, b);
      const stale = await send({
        encrypted: {
          senderDeviceId: ana.deviceId,
          envelopes: [{ userId: b.user.id, deviceId: 99, type: 3, body: 'AAAA' }],
        },
      });
      expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      const notMine = await send({
        encrypted: {
          senderDeviceId: 42,
          envelopes: [{ userId: b.user.id, deviceId: ben.deviceId, type: 3, body: 'AAAA' }],
        },
      });
      expect(notMine).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const garbage = await send({
        encrypted: {
          senderDeviceId: ana.deviceId,
          envelopes: [{ userId: b.user.id, deviceId: ben.deviceId, type: 2, body: '%%' }],
        },
      });
      expect(garbage).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      // A plain conversation takes no envelopes.
      const c = await t.register('rf');
      const other = await t
        .http()
        .post('/api/conversations')
        .set(bearer(a))
        .send({ userId: c.user.id })
        .expect(201);
      await SignalDevice.register(t.url, c);
      const envelopes = await ana.encrypt([a.user.id, c.user.id], { v: 1, text: 'x' });
      const intoPlain = await emit(aSocket, 'message:send', {
        conversationId: other.body.id,
        clientId: randomUUID(),
        encrypted: envelopes,
      });
      expect(intoPlain).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const react = await emit(aSocket, 'reaction:add', {
        conversationId: conv.id,
        messageId: randomUUID(),
        emoji: '👍',
      });
      expect(react.ok).toBe(false);
    });

    it('relays ciphertext every device decrypts, edits and reactions too, and stores no plaintext anywhere', async () => {
      const [a, b] = [await t.register('ex'), await t.register('ex')];
      const conv = await encryptedDirect(a, b);
      const [ana1, ana2, ben] = [
        await SignalDevice.register(t.url, a),
        await SignalDevice.register(t.url, a),
        await SignalDevice.register(t.url, b),
      ];
      const members = [a.user.id, b.user.id];
      const [aSocket, bSocket] = [await t.connect(a.token), await t.connect(b.token)];
      const secret = `meet at the old mill ${randomUUID()}`;
      const arriving = nextEvent(bSocket, 'message:new');
      const sent = ok(
        await emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          encrypted: await ana1.encrypt(members, { v: 1, text: secret }),
        }),
      );
      expect(sent).toMatchObject({ content: '', mentions: [], encryptedReactions: [] });
      expect(sent.encrypted?.envelopes.map((e) => `${e.userId}:${e.deviceId}`).sort()).toEqual(
        [`${a.user.id}:${ana2.deviceId}`, `${b.user.id}:${ben.deviceId}`].sort(),
      );
      const received = await arriving;
      expect(await ben.decrypt(received)).toEqual({ v: 1, text: secret });
      expect(await ana2.decrypt(received)).toEqual({ v: 1, text: secret });

      const answer = `bring the map ${randomUUID()}`;
      const reply = ok(
        await emit(bSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          replyToId: sent.id,
          encrypted: await ben.encrypt(members, { v: 1, text: answer }),
        }),
      );
      expect(reply.replyTo).toMatchObject({ id: sent.id, excerpt: '' });
      expect(await ana1.decrypt(reply)).toEqual({ v: 1, text: answer });

      const edited = `meet at the new mill ${randomUUID()}`;
      const edit = ok(
        await emit(aSocket, 'message:edit', {
          conversationId: conv.id,
          messageId: sent.id,
          encrypted: await ana1.encrypt(members, { v: 1, text: edited }),
        }),
      );
      expect(edit.editedAt).toBeTruthy();
      expect(await ben.decrypt(edit)).toEqual({ v: 1, text: edited });
      const plainEdit = await emit(aSocket, 'message:edit', {
        conversationId: conv.id,
        messageId: sent.id,
        content: 'oops',
      });
      expect(plainEdit).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

      const reacted = ok(
        await emit(bSocket, 'reaction:set-encrypted', {
          conversationId: conv.id,
          messageId: sent.id,
          encrypted: await ben.encrypt(members, { v: 1, emojis: ['🦄'] }),
        }),
      );
      expect(reacted.reactions).toEqual([]);
      expect(reacted.encryptedReactions).toHaveLength(1);
      expect(
        await ana1.decrypt({
          senderId: b.user.id,
          encrypted: reacted.encryptedReactions![0].encrypted,
        }),
      ).toEqual({ v: 1, emojis: ['🦄'] });

      // A file, encrypted on the client with a key that travels inside the message.
      const fileText = `the treasure is under the ${randomUUID()}`;
      const fileKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, [
        'encrypt',
        'decrypt',
      ]);
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = Buffer.from(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv },
          fileKey,
          new TextEncoder().encode(fileText),
        ),
      );
      const upload = await t
        .http()
        .post('/api/upload?encrypted=true')
        .set(bearer(a))
        .attach('file', sealed, 'notes.txt')
        .expect(201);
      expect(upload.body).toMatchObject({
        kind: 'file',
        mimeType: 'application/octet-stream',
        name: 'encrypted',
      });
      const rawKey = Buffer.from(await crypto.subtle.exportKey('raw', fileKey)).toString('base64');
      const withFile = ok(
        await emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          type: 'file',
          fileUrl: upload.body.url,
          encrypted: await ana1.encrypt(members, {
            v: 1,
            text: '',
            attachment: {
              url: upload.body.url,
              kind: 'file',
              name: 'notes.txt',
              mimeType: 'text/plain',
              size: fileText.length,
              key: rawKey,
              iv: Buffer.from(iv).toString('base64'),
            },
          }),
        }),
      );
      const inner = (await ben.decrypt(withFile)) as { attachment: { key: string; iv: string } };
      const fetched = await t
        .http()
        .get(upload.body.url)
        .set(bearer(b))
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const theirKey = await crypto.subtle.importKey(
        'raw',
        Buffer.from(inner.attachment.key, 'base64'),
        'AES-GCM',
        false,
        ['decrypt'],
      );
      const opened = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: Buffer.from(inner.attachment.iv, 'base64') },
        theirKey,
        fetched.body as Buffer,
      );
      expect(new TextDecoder().decode(opened)).toBe(fileText);
      // Plain uploads stay out of encrypted conversations, encrypted ones out of plain ones.
      const refusedPlainFile = await emit(aSocket, 'message:send', {
        conversationId: conv.id,
        clientId: randomUUID(),
        type: 'file',
        fileUrl: upload.body.url,
      });
      expect(refusedPlainFile.ok).toBe(false);

      const read = await emit(bSocket, 'message:read', {
        conversationId: conv.id,
        messageId: withFile.id,
      });
      expect(read.ok).toBe(true);

      // Search cannot find what it cannot read; the last message is ciphertext too.
      const search = await t
        .http()
        .get('/api/search/messages')
        .query({ query: 'mill' })
        .set(bearer(a))
        .expect(200);
      expect(search.body.results).toEqual([]);

      // What the server holds: no table, index or file has a word of it.
      const db = t.app.get(DataSource);
      const tables = await db.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      const dump = (
        await Promise.all(
          tables.map(async ({ table_name }) =>
            (await db.query<{ row: string }[]>(`SELECT t::text AS row FROM "${table_name}" t`))
              .map((r) => r.row)
              .join('\n'),
          ),
        )
      ).join('\n');
      expect(dump).toContain(sent.id);
      for (const word of [secret, answer, edited, fileText, 'notes.txt', '🦄', 'treasure', 'mill'])
        expect(dump).not.toContain(word);
      const config = t.app.get<AppConfig>(APP_CONFIG);
      const files = readdirSync(config.upload.dir, { recursive: true, withFileTypes: true }).filter(
        (f) => f.isFile(),
      );
      expect(files.length).toBeGreaterThan(0);
      for (const file of files)
        expect(
          readFileSync(join(file.parentPath, file.name)).includes(Buffer.from('treasure')),
        ).toBe(false);
    });

    it('a device added later reads what is sent from then on, and not what came before', async () => {
      const [a, b] = [await t.register('nd'), await t.register('nd')];
      const conv = await encryptedDirect(a, b);
      const [ana, ben] = [
        await SignalDevice.register(t.url, a),
        await SignalDevice.register(t.url, b),
      ];
      const members = [a.user.id, b.user.id];
      const aSocket = await t.connect(a.token);
      const before = ok(
        await emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          encrypted: await ana.encrypt(members, { v: 1, text: 'before' }),
        }),
      );
      // Ana hears of Ben's new device at once: her client re-checks his safety number.
      const told = nextEvent(aSocket, 'keys:changed');
      const benLaptop = await SignalDevice.register(t.url, b);
      expect(await told).toEqual({ userId: b.user.id });
      // Ana's device list is stale until she fetches it again: the server says so.
      const staleEnvelopes: EncryptedPayload = {
        ...(await ana.encrypt([b.user.id], { v: 1, text: 'x' })),
      };
      staleEnvelopes.envelopes = staleEnvelopes.envelopes.filter(
        (e) => e.deviceId !== benLaptop.deviceId,
      );
      const stale = await emit(aSocket, 'message:send', {
        conversationId: conv.id,
        clientId: randomUUID(),
        encrypted: staleEnvelopes,
      });
      expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      const after = ok(
        await emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          encrypted: await ana.encrypt(members, { v: 1, text: 'after' }),
        }),
      );
      await expect(benLaptop.decrypt(before)).rejects.toThrow('no envelope for this device');
      expect(await benLaptop.decrypt(after)).toEqual({ v: 1, text: 'after' });
      expect(await ben.decrypt(after)).toEqual({ v: 1, text: 'after' });
    });

    it('relays a tampered envelope, which the receiving device then refuses', async () => {
      const [a, b] = [await t.register('tm'), await t.register('tm')];
      const conv = await encryptedDirect(a, b);
      const [ana, ben] = [
        await SignalDevice.register(t.url, a),
        await SignalDevice.register(t.url, b),
      ];
      const aSocket = await t.connect(a.token);
      const first = ok(
        await emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          encrypted: await ana.encrypt([b.user.id], { v: 1, text: 'one' }),
        }),
      );
      expect(await ben.decrypt(first)).toEqual({ v: 1, text: 'one' });
      const payload = await ana.encrypt([b.user.id], { v: 1, text: 'two' });
      const bytes = Buffer.from(payload.envelopes[0].body, 'base64');
      bytes[bytes.length - 12] ^= 0x01;
      payload.envelopes[0].body = bytes.toString('base64');
      const tampered = ok(
        await emit(aSocket, 'message:send', {
          conversationId: conv.id,
          clientId: randomUUID(),
          encrypted: payload,
        }),
      );
      await expect(ben.decrypt(tampered)).rejects.toThrow();
      // A replay of an envelope already read is refused as well.
      await expect(ben.decrypt(first)).rejects.toThrow();
    });
  });
});
