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
import { OFFICE_ZIPS, PDF_HTML_POLYGLOT, zipBomb } from '../../test/upload/zip-fixtures';

/** Documents end to end on PostgreSQL: upload, file message, download, Range, bad input. */
describe('document attachments (integration)', () => {
  let t: TestApp;
  let owner: RegisteredUser;
  let member: RegisteredUser;
  let outsider: RegisteredUser;
  let conversation: ConversationView;

  beforeAll(async () => {
    t = await createTestApp();
    [owner, member, outsider] = await Promise.all([
      t.register('doc-own'),
      t.register('doc-mem'),
      t.register('doc-out'),
    ]);
    conversation = (
      await t
        .http()
        .post('/api/conversations')
        .set(bearer(owner))
        .send({ type: 'group', name: 'docs', memberIds: [member.user.id] })
        .expect(201)
    ).body as ConversationView;
  });

  afterAll(async () => {
    await t.app.get(DataSource).query('DELETE FROM uploads WHERE owner_id = $1', [owner.user.id]);
    await t.close();
  });

  const upload = (bytes: Buffer, filename: string) =>
    t.http().post('/api/upload').set(bearer(owner)).attach('file', bytes, { filename });

  const sendFile = (fileUrl: string, who = owner) =>
    t
      .http()
      .post(`/api/conversations/${conversation.id}/messages`)
      .set(bearer(who))
      .send({ clientId: randomUUID(), type: 'file', fileUrl });

  it('sends a PDF as a file message that members download with safe headers and Range', async () => {
    const view = (await upload(PDF_HTML_POLYGLOT, 'report.pdf').expect(201)).body as UploadView;
    expect(view).toMatchObject({
      kind: 'file',
      name: 'report.pdf',
      mimeType: 'application/pdf',
      size: PDF_HTML_POLYGLOT.length,
    });
    expect(view.url).toMatch(/^\/api\/uploads\/[0-9a-f]{32}\.pdf$/);

    const message = (await sendFile(view.url).expect(201)).body as MessageView;
    expect(message).toMatchObject({
      type: 'file',
      fileUrl: view.url,
      thumbnailUrl: null,
      attachment: { url: view.url, kind: 'file', name: 'report.pdf', mimeType: 'application/pdf' },
    });
    const history = (
      await t
        .http()
        .get(`/api/conversations/${conversation.id}/messages`)
        .set(bearer(member))
        .expect(200)
    ).body as MessageView[];
    expect(history.find((m) => m.id === message.id)?.attachment).toEqual(message.attachment);

    const file = await t.http().get(view.url).set(cookie(member)).buffer(true).expect(200);
    expect(file.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
      'accept-ranges': 'bytes',
    });
    expect(Buffer.compare(file.body as Buffer, PDF_HTML_POLYGLOT)).toBe(0);

    const part = await t
      .http()
      .get(view.url)
      .set(bearer(member))
      .set('Range', 'bytes=0-4')
      .buffer(true)
      .expect(206);
    expect(part.headers['content-range']).toBe(`bytes 0-4/${PDF_HTML_POLYGLOT.length}`);
    expect((part.body as Buffer).toString()).toBe('%PDF-');
    const past = await t
      .http()
      .get(view.url)
      .set(bearer(member))
      .set('Range', `bytes=${PDF_HTML_POLYGLOT.length}-`)
      .expect(416);
    expect(past.headers['content-range']).toBe(`bytes */${PDF_HTML_POLYGLOT.length}`);

    await t.http().get(view.url).set(cookie(outsider)).expect(404);
    await t.http().get(view.url).set(bearer(outsider)).expect(404);
  });

  it.each(['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'] as const)(
    'recognises a %s from its bytes whatever it is called',
    async (format) => {
      const view = (await upload(OFFICE_ZIPS[format](), 'renamed.bin').expect(201))
        .body as UploadView;
      expect(view.url.endsWith(`.${format}`)).toBe(true);
    },
  );

  it('keeps a hostile name only as a harmless download name', async () => {
    const raw = `../..\\evil\u202Efdp.exe${'x'.repeat(300)}.txt`;
    const view = (await upload(Buffer.from('plain text'), raw).expect(201)).body as UploadView;
    expect(view.name).not.toMatch(/[/\\\u202e]/);
    expect(view.name.length).toBeLessThanOrEqual(120);
    expect(view.name.endsWith('.txt')).toBe(true);
    expect(view.url).toMatch(/^\/api\/uploads\/[0-9a-f]{32}\.txt$/);
  });

  it.each([
    ['a zip bomb', zipBomb(), 'bomb.zip', 400],
    [
      'a renamed ELF executable',
      Buffer.from('\x7fELF\x02\x01\x01\x00\x00\x00', 'latin1'),
      'a.pdf',
      415,
    ],
    ['a renamed PE executable', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), 'a.docx', 415],
    ['a 0-byte file', Buffer.alloc(0), 'empty.txt', 400],
  ])('refuses %s with a clear %s and stores nothing', async (_label, bytes, name, status) => {
    const before = await t.app
      .get(DataSource)
      .query<{ n: number }[]>('SELECT count(*)::int AS n FROM uploads WHERE owner_id = $1', [
        owner.user.id,
      ]);
    const res = await upload(bytes, name).expect(status);
    expect(res.body).toEqual({
      statusCode: status,
      message: expect.any(String),
      error: expect.any(String),
    });
    const after = await t.app
      .get(DataSource)
      .query<{ n: number }[]>('SELECT count(*)::int AS n FROM uploads WHERE owner_id = $1', [
        owner.user.id,
      ]);
    expect(after[0].n).toBe(before[0].n);
  });

  it('accepts a file message only from the uploader, and only for a document', async () => {
    const doc = (await upload(Buffer.from('a,b\n1,2\n'), 'data.csv').expect(201))
      .body as UploadView;
    expect(doc.mimeType).toBe('text/csv');
    const stolen = await sendFile(doc.url, member).expect(400);
    expect(stolen.body).toMatchObject({
      message: 'fileUrl must be a file you uploaded to this server',
    });
    await t
      .http()
      .post(`/api/conversations/${conversation.id}/messages`)
      .set(bearer(owner))
      .send({ clientId: randomUUID(), type: 'image', fileUrl: doc.url })
      .expect(400);
  });
});
