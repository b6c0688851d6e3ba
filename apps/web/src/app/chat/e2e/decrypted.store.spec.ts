import { TestBed } from '@angular/core/testing';
import type { EncryptedPayload, MessageView } from '@chat/shared-dto';
import { buildTimeline } from '../messages/timeline';
import { E2eCipherService } from './cipher.service';
import { DecryptedStore } from './decrypted.store';
import { E2eAttachmentsService } from './e2e-attachments.service';

const payload = (body: string): EncryptedPayload => ({
  senderDeviceId: 2,
  envelopes: [{ userId: 'me', deviceId: 1, type: 1, body }],
});

function message(seq: number, body: string, extra: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    senderId: 'ana',
    content: '',
    type: 'text',
    clientId: `k${seq}`,
    createdAt: '2024-01-01T10:00:00.000Z',
    rev: seq,
    reactions: [],
    mentions: [],
    encrypted: payload(body),
    ...extra,
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

describe('DecryptedStore', () => {
  const decryptMessage = jest.fn();
  const decryptReactions = jest.fn();
  let store: DecryptedStore;

  beforeEach(() => {
    decryptMessage.mockReset();
    decryptReactions.mockReset();
    TestBed.configureTestingModule({
      providers: [
        { provide: E2eCipherService, useValue: { decryptMessage, decryptReactions } },
        { provide: E2eAttachmentsService, useValue: { objectUrl: () => null, reset: jest.fn() } },
      ],
    });
    store = TestBed.inject(DecryptedStore);
  });

  it('decrypts each message once, oldest first, and shows every outcome visibly', async () => {
    decryptMessage.mockImplementation(async (m: MessageView) =>
      m.id === 'm1'
        ? { state: 'ok', content: { v: 1, text: 'hello' } }
        : m.id === 'm2'
          ? { state: 'no-key' }
          : { state: 'failed', reason: 'Bad MAC' },
    );
    const thread = [message(3, 'c'), message(1, 'a'), message(2, 'b')];
    store.ensure(thread);
    store.ensure(thread);
    await settle();
    expect(decryptMessage.mock.calls.map(([m]: [MessageView]) => m.id)).toEqual(['m1', 'm2', 'm3']);

    const sorted = [thread[1], thread[2], thread[0]];
    const revealed = store.reveal(sorted);
    expect(revealed.map((m) => [m.content, m.e2e])).toEqual([
      ['hello', 'ok'],
      ['', 'no-key'],
      ['', 'failed'],
    ]);
    // The same copies while nothing changed (the timeline caches per message object).
    expect(store.reveal(sorted)[0]).toBe(revealed[0]);

    const timeline = buildTimeline({
      messages: revealed,
      outbox: [],
      uploads: [],
      members: [],
      selfId: 'me',
      group: false,
    });
    const shown = timeline.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
    expect(shown.map((m) => [m.text, m.e2e, m.lifecycle.canReact])).toEqual([
      ['hello', 'ok', true],
      ['', 'no-key', false],
      ['', 'failed', false],
    ]);
  });

  it('aggregates reactions from each member’s decrypted set', async () => {
    decryptMessage.mockResolvedValue({ state: 'ok', content: { v: 1, text: 'hi' } });
    decryptReactions.mockImplementation(async (_id: string, r: { userId: string }) => ({
      state: 'ok',
      content: { v: 1, emojis: r.userId === 'me' ? ['👍', '🎉'] : ['👍'] },
    }));
    const reacted = message(1, 'a', {
      encryptedReactions: [
        { userId: 'me', encrypted: payload('r1'), updatedAt: '2024-01-01T10:00:00.000Z' },
        { userId: 'ana', encrypted: payload('r2'), updatedAt: '2024-01-01T10:00:00.000Z' },
      ],
    });
    store.ensure([reacted]);
    await settle();
    expect(store.reveal([reacted])[0].reactions).toEqual([
      { emoji: '👍', count: 2, userIds: ['me', 'ana'] },
      { emoji: '🎉', count: 1, userIds: ['me'] },
    ]);
  });

  it('shows an attachment as its real kind, and a lock in the preview until decrypted', async () => {
    const photo = message(1, 'p', { type: 'file', fileUrl: '/api/files/x' });
    expect(store.preview(photo).text).toBe('🔒 Encrypted message');
    decryptMessage.mockResolvedValue({
      state: 'ok',
      content: {
        v: 1,
        text: '',
        attachment: {
          url: '/api/files/x',
          kind: 'image',
          name: 'cat.png',
          mimeType: 'image/png',
          size: 10,
          key: 'k',
          iv: 'i',
        },
      },
    });
    store.ensure([photo]);
    await settle();
    expect(store.preview(photo)).toEqual({ text: 'Photo', type: 'image' });
    expect(store.reveal([photo])[0]).toMatchObject({ type: 'image', e2e: 'ok' });
  });

  it('never shows the server’s ciphertext file of a message it cannot read', async () => {
    const sealedFile = message(1, 'x', {
      type: 'file',
      fileUrl: '/api/uploads/x.bin',
      attachment: {
        url: '/api/uploads/x.bin',
        kind: 'file',
        name: 'encrypted',
        size: 114,
        mimeType: 'application/octet-stream',
      },
    });
    decryptMessage.mockResolvedValue({ state: 'no-key' });
    store.ensure([sealedFile]);
    await settle();
    expect(store.reveal([sealedFile])[0]).toMatchObject({
      e2e: 'no-key',
      attachment: null,
      fileUrl: null,
    });
  });
});
