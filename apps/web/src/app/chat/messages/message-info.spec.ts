import type { ConversationMemberView, MessageReceiptsView } from '@chat/shared-dto';
import { messageInfo } from './message-info';

const member = (id: string): ConversationMemberView => ({
  id,
  username: id,
  status: 'offline',
  role: 'member',
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

describe('messageInfo', () => {
  const members = ['me', 'ana', 'bob', 'cy'].map(member);

  it('splits members into read, delivered only and waiting, without the sender', () => {
    const receipts: MessageReceiptsView = {
      messageId: 'm',
      seq: 3,
      readBy: [
        { userId: 'ana', at: '2024-01-01T10:05:00.000Z' },
        { userId: 'me', at: '2024-01-01T10:00:00.000Z' },
      ],
      deliveredTo: [
        { userId: 'ana', at: '2024-01-01T10:01:00.000Z' },
        { userId: 'bob', at: '2024-01-01T10:02:00.000Z' },
      ],
      readCount: 2,
      deliveredCount: 2,
    };
    const info = messageInfo(receipts, members, 'me');
    expect(info.readBy).toEqual([{ member: members[1], at: '2024-01-01T10:05:00.000Z' }]);
    expect(info.deliveredTo).toEqual([{ member: members[2], at: '2024-01-01T10:02:00.000Z' }]);
    expect(info.waiting.map((row) => row.member.id)).toEqual(['cy']);
    expect(info).toMatchObject({ readCount: 1, deliveredCount: 1 });
  });

  it('counts beyond the listed first ones of a large group', () => {
    const info = messageInfo(
      {
        messageId: 'm',
        seq: 1,
        readBy: [{ userId: 'ana', at: '2024-01-01T10:00:00.000Z' }],
        deliveredTo: [{ userId: 'ana', at: '2024-01-01T10:00:00.000Z' }],
        readCount: 3214,
        deliveredCount: 5000,
      },
      members,
      'me',
    );
    expect(info).toMatchObject({ readCount: 3214, deliveredCount: 1786 });
  });

  it('orders latest first and keeps readers who have left', () => {
    const info = messageInfo(
      {
        messageId: 'm',
        seq: 1,
        readBy: [
          { userId: 'ana', at: '2024-01-01T10:00:00.000Z' },
          { userId: 'gone', at: '2024-01-01T11:00:00.000Z' },
        ],
        deliveredTo: [],
        readCount: 2,
        deliveredCount: 0,
      },
      members,
      'me',
    );
    expect(info.readBy.map((row) => row.member.id)).toEqual(['gone', 'ana']);
    expect(info.readBy[0].member.displayName).toBe('Former member');
  });
});
