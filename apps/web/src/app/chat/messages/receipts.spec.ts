import type { ConversationMemberView } from '@chat/shared-dto';
import { applyReceipt, describeReaders, receiptFor } from './receipts';

function member(id: string, lastDeliveredSeq: number, lastReadSeq: number): ConversationMemberView {
  return { id, username: id, status: 'online', role: 'member', lastDeliveredSeq, lastReadSeq };
}

describe('receiptFor', () => {
  it('is sent until every other member has the message', () => {
    const members = [member('me', 0, 0), member('ana', 4, 2), member('bob', 2, 1)];
    expect(receiptFor(3, members, 'me').state).toBe('sent');
    expect(receiptFor(2, members, 'me').state).toBe('delivered');
  });

  it('is read when every other member read it, and lists readers in groups', () => {
    const members = [member('me', 0, 0), member('ana', 5, 5), member('bob', 5, 3)];
    const partial = receiptFor(4, members, 'me');
    expect(partial.state).toBe('delivered');
    expect(partial.readBy.map((m) => m.id)).toEqual(['ana']);
    expect(partial.others).toBe(2);
    expect(receiptFor(3, members, 'me').state).toBe('read');
  });

  it('treats a read watermark as delivery too', () => {
    expect(receiptFor(3, [member('me', 0, 0), member('ana', 0, 3)], 'me').state).toBe('read');
  });

  it("is not read while a large group's members beyond the embedded ones may not have it", () => {
    const embedded = [member('me', 0, 0), member('ana', 5, 5), member('bob', 5, 5)];
    const big = receiptFor(3, embedded, 'me', 5000);
    expect(big.state).toBe('sent');
    expect(big.others).toBe(4999);
    expect(receiptFor(3, embedded, 'me', 3).state).toBe('read');
  });

  it('ignores the own watermark', () => {
    expect(receiptFor(3, [member('me', 9, 9), member('ana', 1, 1)], 'me').state).toBe('sent');
  });
});

describe('applyReceipt', () => {
  it('moves watermarks forward only', () => {
    const members = [member('me', 0, 0), member('ana', 5, 3)];
    const read = applyReceipt(members, { userId: 'ana', seq: 7 }, 'read');
    expect(read[1]).toMatchObject({ lastDeliveredSeq: 7, lastReadSeq: 7 });
    expect(applyReceipt(read, { userId: 'ana', seq: 4 }, 'read')).toBe(read);
    const delivered = applyReceipt(members, { userId: 'ana', seq: 6 }, 'delivered');
    expect(delivered[1]).toMatchObject({ lastDeliveredSeq: 6, lastReadSeq: 3 });
    expect(applyReceipt(members, { userId: 'zoe', seq: 6 }, 'read')).toBe(members);
  });
});

describe('describeReaders', () => {
  it('names the readers', () => {
    expect(describeReaders([])).toBe('Not read yet');
    expect(describeReaders([{ username: 'ana', displayName: 'Ana' }])).toBe('Read by Ana');
    expect(describeReaders([{ username: 'a' }, { username: 'b' }])).toBe('Read by a and b');
    expect(
      describeReaders([{ username: 'a' }, { username: 'b' }, { username: 'c' }, { username: 'd' }]),
    ).toBe('Read by a, b and 2 others');
  });
});
