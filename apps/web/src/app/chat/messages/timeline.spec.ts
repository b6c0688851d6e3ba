import type { ConversationMemberView, MessageView } from '@chat/shared-dto';
import type { OutboxEntry } from './outbox';
import { buildTimeline } from './timeline';

const base = new Date(2024, 4, 10, 9, 0).getTime();
function at(minutes: number): string {
  return new Date(base + minutes * 60_000).toISOString();
}
function msg(
  seq: number,
  senderId: string,
  minutes: number,
  overrides: Partial<MessageView> = {},
): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    senderId,
    content: `hi ${seq}`,
    type: 'text',
    clientId: `k${seq}`,
    createdAt: at(minutes),
    rev: seq,
    reactions: [],
    mentions: [],
    ...overrides,
  };
}
const members: ConversationMemberView[] = [
  {
    id: 'me',
    username: 'me',
    status: 'online',
    role: 'owner',
    lastReadSeq: 10,
    lastDeliveredSeq: 10,
  },
  {
    id: 'ana',
    username: 'ana',
    displayName: 'Ana',
    status: 'online',
    role: 'member',
    lastReadSeq: 2,
    lastDeliveredSeq: 3,
  },
];

describe('buildTimeline', () => {
  it('adds day separators and groups consecutive messages by sender', () => {
    const items = buildTimeline({
      messages: [msg(1, 'ana', 0), msg(2, 'ana', 1), msg(3, 'me', 2), msg(4, 'me', 60 * 24)],
      outbox: [],
      uploads: [],
      members,
      selfId: 'me',
      group: true,
    });
    expect(items.map((item) => item.kind)).toEqual([
      'day',
      'message',
      'message',
      'message',
      'day',
      'message',
    ]);
    const messages = items.filter((item) => item.kind === 'message');
    expect(messages.map((item) => [item.groupStart, item.groupEnd])).toEqual([
      [true, false],
      [false, true],
      [true, true],
      [true, true],
    ]);
    expect(messages[0].senderName).toBe('Ana');
    expect(messages[1].senderName).toBeNull();
  });

  it('computes ticks of own messages from the other members watermarks', () => {
    const items = buildTimeline({
      messages: [msg(2, 'me', 0), msg(3, 'me', 1), msg(4, 'me', 2)],
      outbox: [],
      uploads: [],
      members,
      selfId: 'me',
      group: false,
    }).filter((item) => item.kind === 'message');
    expect(items.map((item) => item.message.status)).toEqual(['read', 'delivered', 'sent']);
  });

  it('shows a pending message once, and not at all once it is confirmed', () => {
    const entry: OutboxEntry = {
      clientId: 'k5',
      conversationId: 'c',
      type: 'text',
      content: 'hello',
      createdAt: at(5),
      attempts: 1,
      status: 'queued',
    };
    const pending = buildTimeline({
      messages: [msg(1, 'ana', 0)],
      outbox: [entry],
      uploads: [],
      members,
      selfId: 'me',
      group: false,
    });
    const last = pending[pending.length - 1];
    expect(last.kind === 'message' && last.message.status).toBe('pending');

    const confirmed = buildTimeline({
      messages: [msg(1, 'ana', 0), msg(5, 'me', 5, { clientId: 'k5', content: 'hello' })],
      outbox: [entry],
      uploads: [],
      members,
      selfId: 'me',
      group: false,
    }).filter((item) => item.kind === 'message');
    expect(confirmed).toHaveLength(2);
    // The key stays the same from pending to sent, so the element is reused.
    expect(confirmed[1].key).toBe(last.key);
  });

  it('shows a document as a card and a voice note as a player, from upload to stored', () => {
    const waveform = Array.from({ length: 64 }, (_, i) => i / 63);
    const uploading = buildTimeline({
      messages: [],
      outbox: [],
      uploads: [
        {
          clientId: 'u1',
          conversationId: 'c',
          kind: 'file',
          previewUrl: null,
          name: 'plan.pdf',
          size: 2048,
          progress: 0.4,
          status: 'uploading',
          createdAt: at(1),
        },
        {
          clientId: 'u2',
          conversationId: 'c',
          kind: 'voice',
          previewUrl: 'blob:voice',
          name: 'voice.webm',
          size: 4096,
          voice: { durationMs: 3200, waveform },
          progress: 0.1,
          status: 'uploading',
          createdAt: at(2),
        },
      ],
      members,
      selfId: 'me',
      group: false,
    }).flatMap((item) => (item.kind === 'message' ? [item.message] : []));
    expect(uploading.map((m) => [m.type, m.status, m.progress])).toEqual([
      ['file', 'uploading', 0.4],
      ['voice', 'uploading', 0.1],
    ]);
    expect(uploading[0].file).toEqual({ url: null, name: 'plan.pdf', size: 2048, mimeType: null });
    expect(uploading[1].voice).toEqual({ url: 'blob:voice', durationMs: 3200, waveform });

    const attachment = {
      url: '/api/uploads/v.webm',
      kind: 'voice' as const,
      name: 'voice.webm',
      size: 4096,
      mimeType: 'audio/webm' as const,
      durationMs: 3000,
      waveform,
    };
    const stored = buildTimeline({
      messages: [
        msg(7, 'ana', 3, { type: 'voice', content: '', fileUrl: attachment.url, attachment }),
      ],
      outbox: [],
      uploads: [],
      members,
      selfId: 'me',
      group: false,
    }).flatMap((item) => (item.kind === 'message' ? [item.message] : []));
    // The server's duration, not the recorder's estimate.
    expect(stored[0].voice).toEqual({ url: attachment.url, durationMs: 3000, waveform });
    expect(stored[0].file).toBeNull();
  });

  it('prefers the thumbnail for images', () => {
    const [, item] = buildTimeline({
      messages: [
        msg(1, 'ana', 0, { type: 'image', content: '', fileUrl: '/f.png', thumbnailUrl: '/t.png' }),
      ],
      outbox: [],
      uploads: [],
      members,
      selfId: 'me',
      group: false,
    });
    expect(item.kind === 'message' && [item.message.imageUrl, item.message.fullImageUrl]).toEqual([
      '/t.png',
      '/f.png',
    ]);
  });
});

describe('buildTimeline: unread divider and stalled sends', () => {
  const input = {
    outbox: [] as OutboxEntry[],
    uploads: [],
    members,
    selfId: 'me',
    group: false,
  };

  it('puts "N new messages" above the first unread message from someone else', () => {
    const items = buildTimeline({
      ...input,
      messages: [msg(1, 'ana', 0), msg(2, 'me', 1), msg(3, 'ana', 2), msg(4, 'ana', 3)],
      unread: { afterSeq: 2, count: 2 },
    });
    const kinds = items.map((item) => (item.kind === 'message' ? item.message.seq : item.kind));
    expect(kinds).toEqual(['day', 1, 2, 'unread', 3, 4]);
    expect(items.find((item) => item.kind === 'unread')).toMatchObject({ label: '2 new messages' });
    const third = items.find((item) => item.kind === 'message' && item.message.seq === 3);
    expect(third).toMatchObject({ groupStart: true });
  });

  it('puts no divider above a system line, and groups no bubble with it', () => {
    const items = buildTimeline({
      ...input,
      messages: [
        msg(1, 'ana', 0, { type: 'system', content: 'Ana turned on end-to-end encryption' }),
        msg(2, 'ana', 1),
      ],
      unread: { afterSeq: 0, count: 1 },
    });
    const kinds = items.map((item) => (item.kind === 'message' ? item.message.seq : item.kind));
    expect(kinds).toEqual(['day', 1, 'unread', 2]);
    expect(items.find((item) => item.kind === 'unread')).toMatchObject({ label: '1 new message' });
    const bubble = items.find((item) => item.kind === 'message' && item.message.seq === 2);
    expect(bubble).toMatchObject({ groupStart: true, groupEnd: true });
  });

  it('counts what the server said was unread when older unread messages are not loaded', () => {
    const items = buildTimeline({
      ...input,
      messages: [msg(60, 'ana', 0)],
      unread: { afterSeq: 2, count: 58 },
    });
    expect(items.find((item) => item.kind === 'unread')).toMatchObject({
      label: '58 new messages',
    });
  });

  it('skips own messages and draws no divider when nothing is unread', () => {
    expect(
      buildTimeline({
        ...input,
        messages: [msg(1, 'ana', 0), msg(2, 'me', 1)],
        unread: { afterSeq: 1, count: 1 },
      }).some((item) => item.kind === 'unread'),
    ).toBe(false);
    expect(
      buildTimeline({ ...input, messages: [msg(1, 'ana', 0)], unread: null }).some(
        (item) => item.kind === 'unread',
      ),
    ).toBe(false);
  });

  it('shows queued messages as not sent, with the reason, while the connection keeps failing', () => {
    const entry: OutboxEntry = {
      clientId: 'q1',
      conversationId: 'c',
      type: 'text',
      content: 'later',
      createdAt: at(5),
      attempts: 0,
      status: 'queued',
    };
    const stalled = buildTimeline({
      ...input,
      messages: [],
      outbox: [entry],
      stalled: 'Cannot connect: Origin not allowed',
    });
    expect(stalled[1]).toMatchObject({
      kind: 'message',
      message: { status: 'failed', error: 'Cannot connect: Origin not allowed' },
    });
    const normal = buildTimeline({ ...input, messages: [], outbox: [entry] });
    expect(normal[1]).toMatchObject({ kind: 'message', message: { status: 'pending' } });
  });
});
