import type { ConversationMemberView, MessageView } from '@chat/shared-dto';
import type { DisplayMessage } from './timeline';
import { buildTimeline } from './timeline';

function member(
  id: string,
  role: ConversationMemberView['role'] = 'member',
): ConversationMemberView {
  return {
    id,
    username: id,
    displayName: id[0].toUpperCase() + id.slice(1),
    status: 'offline',
    role,
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
  };
}

function msg(seq: number, senderId: string, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    senderId,
    content: `hi ${seq}`,
    type: 'text',
    clientId: `k${seq}`,
    createdAt: new Date(2024, 4, 10, 9, seq).toISOString(),
    rev: seq,
    reactions: [],
    mentions: [],
    ...overrides,
  };
}

function shown(
  messages: MessageView[],
  selfId: string,
  roles: Record<string, ConversationMemberView['role']> = {},
) {
  const members = ['me', 'ana', 'bob'].map((id) => member(id, roles[id]));
  return buildTimeline({ messages, outbox: [], uploads: [], members, selfId, group: true })
    .filter((item) => item.kind === 'message')
    .map((item) => (item as { message: DisplayMessage }).message);
}

describe('buildTimeline: the message lifecycle', () => {
  it('lets the sender edit their text and delete; a group admin delete anything', () => {
    const messages = [msg(1, 'me'), msg(2, 'ana'), msg(3, 'me', { type: 'image', content: '' })];
    const member = shown(messages, 'me');
    expect(member.map((m) => [m.lifecycle.canEdit, m.lifecycle.canDelete])).toEqual([
      [true, true],
      [false, false],
      [false, true],
    ]);
    const admin = shown(messages, 'me', { me: 'admin' });
    expect(admin.map((m) => m.lifecycle.canDelete)).toEqual([true, true, true]);
  });

  it('shows a tombstone without text, image, reactions or actions', () => {
    const [tombstone] = shown(
      [
        msg(1, 'ana', {
          content: '',
          deletedAt: '2024-05-10T10:00:00.000Z',
          reactions: [{ emoji: '👍', count: 1, userIds: ['me'] }],
        }),
      ],
      'me',
      { me: 'owner' },
    );
    expect(tombstone.lifecycle).toMatchObject({
      deleted: true,
      reactions: [],
      canEdit: false,
      canDelete: false,
      canReply: false,
      canReact: false,
    });
    expect(tombstone.text).toBe('');
  });

  it('marks edits, the viewer\u2019s reactions and who reacted', () => {
    const [edited] = shown(
      [
        msg(1, 'ana', {
          editedAt: '2024-05-10T10:00:00.000Z',
          reactions: [
            { emoji: '👍', count: 2, userIds: ['ana', 'me'] },
            { emoji: '🎉', count: 23, userIds: ['bob'] },
          ],
        }),
      ],
      'me',
    );
    expect(edited.lifecycle.edited).toBe(true);
    expect(edited.lifecycle.reactions.map((r) => [r.emoji, r.mine, r.who])).toEqual([
      ['👍', true, 'Ana and Me'],
      ['🎉', false, 'Bob and 22 others'],
    ]);
  });

  it('quotes the original of a reply with its current text, or as deleted', () => {
    const replyTo = {
      id: 'm1',
      seq: 1,
      senderId: 'ana',
      type: 'text' as const,
      excerpt: 'old text',
    };
    const [, reply] = shown(
      [msg(1, 'ana', { content: 'new text', rev: 5 }), msg(2, 'bob', { replyTo })],
      'me',
    );
    expect(reply.lifecycle.replyTo).toEqual({
      id: 'm1',
      seq: 1,
      senderName: 'Ana',
      excerpt: 'new text',
      deleted: false,
    });
    const [far] = shown([msg(9, 'bob', { replyTo: { ...replyTo, excerpt: '' } })], 'me');
    expect(far.lifecycle.replyTo).toMatchObject({
      excerpt: 'This message was deleted',
      deleted: true,
    });
  });

  it('highlights mentions of the viewer', () => {
    const content = 'hey @ana and @bob, not @nobody';
    const [mention] = shown([msg(1, 'me', { content, mentions: ['ana', 'bob'] })], 'ana');
    expect(mention.lifecycle.mentionsMe).toBe(true);
    expect(mention.segments.filter((s) => s.kind === 'mention')).toEqual([
      { kind: 'mention', text: '@ana', userId: 'ana', self: true },
      { kind: 'mention', text: '@bob', userId: 'bob', self: false },
    ]);
    const [other] = shown([msg(1, 'me', { content, mentions: ['ana', 'bob'] })], 'me');
    expect(other.lifecycle.mentionsMe).toBe(false);
  });
});
