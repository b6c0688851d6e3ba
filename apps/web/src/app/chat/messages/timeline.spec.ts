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
