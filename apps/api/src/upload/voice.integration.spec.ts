import { randomUUID } from 'node:crypto';
import type { ConversationView, MessageView, UploadView } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import {
  bearer,
  createTestApp,
  RegisteredUser,
  sessionCookie as cookie,
  TestApp,
} from '../../test/integration/test-app';
import { solidImage } from '../../test/upload/image-fixtures';
import {
  CHROMIUM_WEBM,
  oggRecording,
  tenHourWebm,
  vorbisWebm,
} from '../../test/upload/voice-fixtures';

const WAVEFORM = Array.from({ length: 64 }, (_, i) => Math.abs(Math.sin(i / 5)));

/** Voice messages end to end on PostgreSQL: upload, message, playback with Range, bad input. */
describe('voice messages (integration)', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  let member: RegisteredUser;
  let outsider: RegisteredUser;
  let conversation: ConversationView;

  beforeAll(async () => {
    t = await createTestApp();
    [owner, member, outsider] = await Promise.all([
      t.register('voice-own'),
      t.register('voice-mem'),
      t.register('voice-out'),
    ]);
    conversation = (
      await t
        .http()
        .post('/api/conversations')
        .set(bearer(owner))
        .send({ userId: member.user.id })
        .expect(201)
    ).body as ConversationView;
  });

  afterAll(async () => {
    await t.app.get(DataSource).query('DELETE FROM uploads WHERE owner_id = $1', [owner.user.id]);
    await t.close();
  });

  const upload = (bytes: Buffer, filename: string, waveform?: string) => {
    const req = t.http().post('/api/upload').set(bearer(owner));
    if (waveform !== undefined) req.field('waveform', waveform);
    return req.attach('file', bytes, { filename });
  };

  it('stores a recording with the duration it read and the waveform sent, as a voice message', async () => {
    const view = (await upload(CHROMIUM_WEBM, 'voice.webm', JSON.stringify(WAVEFORM)).expect(201))
      .body as UploadView;
    expect(view).toMatchObject({
      kind: 'voice',
      mimeType: 'audio/webm',
      durationMs: 3000,
      size: CHROMIUM_WEBM.length,
    });
    expect(view.url).toMatch(/^\/api\/uploads\/[0-9a-f]{32}\.webm$/);
    expect(view.waveform).toHaveLength(64);
    view.waveform?.forEach((level, i) => expect(level).toBeCloseTo(WAVEFORM[i], 3));

    const message = (
      await t
        .http()
        .post(`/api/conversations/${conversation.id}/messages`)
        .set(bearer(owner))
        .send({ clientId: randomUUID(), type: 'voice', fileUrl: view.url })
        .expect(201)
    ).body as MessageView;
    expect(message).toMatchObject({
      type: 'voice',
      attachment: { kind: 'voice', durationMs: 3000 },
    });

    const history = (
      await t
        .http()
        .get(`/api/conversations/${conversation.id}/messages`)
        .set(bearer(member))
        .expect(200)
    ).body as MessageView[];
    expect(history.find((m) => m.id === message.id)?.attachment).toEqual(message.attachment);

    // An <audio> element plays it with the cookie and seeks with Range.
    const whole = await t.http().get(view.url).set(cookie(member)).buffer(true).expect(200);
    expect(whole.headers).toMatchObject({
      'content-type': 'audio/webm',
      'x-content-type-options': 'nosniff',
      'accept-ranges': 'bytes',
    });
    expect(whole.headers['content-disposition']).toMatch(/^inline/);
    expect(whole.headers['content-security-policy']).toContain('sandbox');
    const part = await t
      .http()
      .get(view.url)
      .set(cookie(member))
      .set('Range', 'bytes=100-199')
      .buffer(true)
      .expect(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${CHROMIUM_WEBM.length}`);
    expect(Buffer.from(part.body as Buffer)).toEqual(CHROMIUM_WEBM.subarray(100, 200));

    await t.http().get(view.url).set(cookie(outsider)).expect(404);
    await t.http().get(view.url).expect(401);
  });

  it('refuses a recording of ten hours, however small, and one over MAX_VOICE_SECONDS', async () => {
    const tenHours = await upload(tenHourWebm(), 'short.webm').expect(400);
    expect(tenHours.body.message).toMatch(/lasts 36000 s; at most 300 s/);
    await upload(oggRecording(301), 'long.ogg').expect(400);
    const fine = await upload(oggRecording(299), 'fine.ogg').expect(201);
    expect(fine.body).toMatchObject({ kind: 'voice', mimeType: 'audio/ogg', durationMs: 299_000 });
  });

  it('refuses other codecs, damaged recordings and malformed waveforms with clear 4xx', async () => {
    expect((await upload(vorbisWebm(), 'v.webm').expect(415)).body.message).toMatch(/opus/);
    const cut = CHROMIUM_WEBM.subarray(0, 140);
    expect((await upload(cut, 'cut.webm').expect(400)).body.message).toMatch(/damaged/);
    for (const waveform of ['[1,2]', 'nope', JSON.stringify(WAVEFORM.map(() => 2))]) {
      const res = await upload(CHROMIUM_WEBM, 'v.webm', waveform).expect(400);
      expect(res.body.message).toMatch(/waveform must be a JSON array of 64 numbers/);
    }
    const image = await solidImage('png', 8, 8);
    const onImage = await upload(image, 'a.png', JSON.stringify(WAVEFORM)).expect(400);
    expect(onImage.body.message).toMatch(/only for voice/);
  });

  it('takes a voice upload only as a voice message, and a voice message only with one', async () => {
    const view = (await upload(CHROMIUM_WEBM, 'voice.webm').expect(201)).body as UploadView;
    expect(view.waveform).toBeUndefined();
    const send = (type: string, fileUrl: string) =>
      t
        .http()
        .post(`/api/conversations/${conversation.id}/messages`)
        .set(bearer(owner))
        .send({ clientId: randomUUID(), type, fileUrl });
    expect((await send('file', view.url).expect(400)).body.message).toMatch(/a file you uploaded/);
    const pdf = await upload(Buffer.from('%PDF-1.7\n%%EOF\n'), 'a.pdf').expect(201);
    expect((await send('voice', pdf.body.url).expect(400)).body.message).toMatch(
      /a voice recording you uploaded/,
    );
  });
});
