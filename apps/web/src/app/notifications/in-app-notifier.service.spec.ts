import type { ConversationView, MessageView } from '@chat/shared-dto';
import { describe as describeMessage } from './in-app-notifier.service';

const conversation = (type: 'direct' | 'group'): ConversationView => ({
  encrypted: false,
  id: 'c1',
  type,
  name: type === 'group' ? 'Team' : null,
  members: [
    {
      id: 'me',
      username: 'me',
      status: 'online',
      role: 'member',
      lastReadSeq: 0,
      lastDeliveredSeq: 0,
    },
    {
      id: 'ana',
      username: 'ana',
      displayName: 'Ana',
      status: 'online',
      role: 'member',
      lastReadSeq: 0,
      lastDeliveredSeq: 0,
    },
  ],
  unreadCount: 0,
  unreadMentions: 0,
  memberCount: 2,
  lastReadSeq: 0,
  lastRev: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: '2026-01-01T00:00:00.000Z',
});

const message = (over: Partial<MessageView> = {}): MessageView => ({
  id: 'm1',
  conversationId: 'c1',
  seq: 1,
  senderId: 'ana',
  content: 'hello\n there',
  type: 'text',
  clientId: 'x',
  createdAt: '2026-01-01T00:00:00.000Z',
  rev: 1,
  reactions: [],
  mentions: [],
  ...over,
});

describe('notification text', () => {
  it('names the sender in a direct conversation', () => {
    expect(describeMessage(message(), conversation('direct'), 'me')).toEqual({
      title: 'Ana',
      body: 'hello there',
    });
  });

  it('names the group and the sender in a group', () => {
    expect(
      describeMessage(message({ type: 'image', content: '' }), conversation('group'), 'me'),
    ).toEqual({
      title: 'Team',
      body: 'Ana: Photo',
    });
  });

  it('says only that a message came for an encrypted one (not the ciphertext file)', () => {
    const sealed = message({
      type: 'file',
      content: '',
      attachment: {
        url: '/u',
        kind: 'file',
        name: 'encrypted',
        size: 9,
        mimeType: 'application/octet-stream',
      },
      encrypted: {
        senderDeviceId: 1,
        envelopes: [{ userId: 'me', deviceId: 1, type: 1, body: 'QQ==' }],
      },
    });
    expect(describeMessage(sealed, conversation('direct'), 'me')).toEqual({
      title: 'Ana',
      body: 'New message',
    });
  });
});
