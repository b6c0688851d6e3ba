import { NotFoundException } from '@nestjs/common';
import type { ReceiptEvent } from '@chat/shared-dto';
import { DataSource, EntityManager } from 'typeorm';
import { WatermarkMove } from '../conversations/members.repository';
import { MembershipService } from '../conversations/membership.service';
import { DomainEvents } from '../core/events/domain-events';
import { MessagesService } from '../messages/messages.service';
import { RECEIPT_MOVED, ReceiptMovedEvent } from './receipt.events';
import { ReceiptAction, ReceiptKind, ReceiptsRepository } from './receipts.repository';
import { ReceiptsService } from './receipts.service';

const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CAROL = '33333333-3333-4333-8333-333333333333';
const MALLORY = '44444444-4444-4444-8444-444444444444';
const ROOM = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const MESSAGE = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
const SEQ = 7;
const MOVED_AT = new Date('2026-01-01T10:00:00Z');

/** A transaction that knows whether it is still open, so that writes can be placed inside it. */
class FakeDataSource {
  readonly manager = { transaction: 'the receipt transaction' } as unknown as EntityManager;
  open = false;
  transactions = 0;

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.transactions += 1;
    this.open = true;
    try {
      return await work(this.manager);
    } finally {
      this.open = false;
    }
  }
}

describe('ReceiptsService', () => {
  let db: FakeDataSource;
  let recorded: { kind: ReceiptKind; action: ReceiptAction; inTransaction: boolean }[];
  let emitted: { event: ReceiptMovedEvent; inTransaction: boolean }[];
  let repository: jest.Mocked<Pick<ReceiptsRepository, 'record' | 'firstReaching'>>;
  let membership: jest.Mocked<Pick<MembershipService, 'assertMember' | 'moveWatermarks'>>;
  let messages: jest.Mocked<Pick<MessagesService, 'seqOf'>>;
  let service: ReceiptsService;

  const moves = (move: Partial<WatermarkMove> | null) =>
    membership.moveWatermarks.mockResolvedValue(
      move && { readMoved: false, deliveredMoved: false, at: MOVED_AT, ...move },
    );

  beforeEach(() => {
    db = new FakeDataSource();
    recorded = [];
    emitted = [];
    repository = {
      record: jest.fn(async (manager: EntityManager, kind: ReceiptKind, action: ReceiptAction) => {
        recorded.push({ kind, action, inTransaction: db.open && manager === db.manager });
      }),
      firstReaching: jest.fn(),
    };
    membership = {
      assertMember: jest.fn(async (_conversationId: string, userId: string) => {
        if (userId === MALLORY) throw new NotFoundException('Conversation not found');
        return new Set([ALICE, BOB, CAROL]);
      }),
      moveWatermarks: jest.fn(),
    };
    messages = {
      seqOf: jest.fn(async (_conversationId: string, messageId: string) => {
        if (messageId !== MESSAGE) throw new NotFoundException('Message not found');
        return SEQ;
      }),
    };
    const events: Pick<DomainEvents, 'emit'> = {
      emit: (name, payload) => {
        expect(name).toBe(RECEIPT_MOVED);
        emitted.push({ event: payload as ReceiptMovedEvent, inTransaction: db.open });
      },
    };
    service = new ReceiptsService(
      db as unknown as DataSource,
      repository as unknown as ReceiptsRepository,
      membership as unknown as MembershipService,
      messages as unknown as MessagesService,
      events as DomainEvents,
    );
  });

  describe('mark', () => {
    const receipt: ReceiptEvent = {
      conversationId: ROOM,
      messageId: MESSAGE,
      seq: SEQ,
      userId: ALICE,
      at: MOVED_AT.toISOString(),
    };
    const action: ReceiptAction = {
      messageId: MESSAGE,
      userId: ALICE,
      conversationId: ROOM,
      seq: SEQ,
      at: MOVED_AT,
    };

    it('records a read of an undelivered message as delivered and read in one transaction', async () => {
      moves({ deliveredMoved: true, readMoved: true });

      await service.mark('read', ALICE, ROOM, MESSAGE);

      expect(membership.moveWatermarks).toHaveBeenCalledWith(db.manager, ROOM, ALICE, SEQ, true);
      expect(db.transactions).toBe(1);
      expect(recorded).toEqual([
        { kind: 'delivered', action, inTransaction: true },
        { kind: 'read', action, inTransaction: true },
      ]);
    });

    it('announces each moved watermark after the commit (the fan-out leaves the reader out)', async () => {
      moves({ deliveredMoved: true, readMoved: true });

      await service.mark('read', ALICE, ROOM, MESSAGE);

      expect(emitted).toEqual([
        { event: { kind: 'delivered', receipt }, inTransaction: false },
        { event: { kind: 'read', receipt }, inTransaction: false },
      ]);
    });

    it('records and announces only the read of a message already delivered', async () => {
      moves({ readMoved: true });

      await service.mark('read', ALICE, ROOM, MESSAGE);

      expect(recorded.map((r) => r.kind)).toEqual(['read']);
      expect(emitted.map((e) => e.event.kind)).toEqual(['read']);
    });

    it('moves only the delivered watermark for a delivery', async () => {
      moves({ deliveredMoved: true });

      await service.mark('delivered', BOB, ROOM, MESSAGE);

      expect(membership.moveWatermarks).toHaveBeenCalledWith(db.manager, ROOM, BOB, SEQ, false);
      expect(recorded.map((r) => [r.kind, r.action.userId])).toEqual([['delivered', BOB]]);
      expect(emitted.map((e) => [e.event.kind, e.event.receipt.userId])).toEqual([
        ['delivered', BOB],
      ]);
    });

    it('records and announces nothing when no watermark moves', async () => {
      moves({});

      await service.mark('read', ALICE, ROOM, MESSAGE);

      expect(db.transactions).toBe(1);
      expect(recorded).toEqual([]);
      expect(emitted).toEqual([]);
    });

    it('records and announces nothing when the membership went away meanwhile', async () => {
      moves(null);

      await service.mark('read', ALICE, ROOM, MESSAGE);

      expect(recorded).toEqual([]);
      expect(emitted).toEqual([]);
    });

    it('announces nothing when recording fails', async () => {
      moves({ deliveredMoved: true, readMoved: true });
      repository.record.mockRejectedValueOnce(new Error('connection terminated'));

      await expect(service.mark('read', ALICE, ROOM, MESSAGE)).rejects.toThrow(
        'connection terminated',
      );
      expect(emitted).toEqual([]);
    });

    it('refuses a non-member with 404 and opens no transaction', async () => {
      await expect(service.mark('read', MALLORY, ROOM, MESSAGE)).rejects.toThrow(NotFoundException);
      expect(db.transactions).toBe(0);
    });

    it('refuses a message of another conversation with 404 and opens no transaction', async () => {
      await expect(service.mark('read', ALICE, ROOM, 'not-in-this-room')).rejects.toBeInstanceOf(
        NotFoundException,
      );
      expect(db.transactions).toBe(0);
    });
  });

  describe('forMessage', () => {
    it('lists who has the message among the current members only', async () => {
      membership.assertMember.mockResolvedValue(new Set([ALICE, BOB]));
      repository.firstReaching.mockResolvedValue([
        { user_id: ALICE, kind: 'delivered', at: new Date('2026-01-01T10:00:00Z') },
        { user_id: BOB, kind: 'delivered', at: new Date('2026-01-01T10:01:00Z') },
        { user_id: CAROL, kind: 'delivered', at: new Date('2026-01-01T10:02:00Z') },
        { user_id: BOB, kind: 'read', at: new Date('2026-01-01T10:03:00Z') },
        { user_id: CAROL, kind: 'read', at: new Date('2026-01-01T10:04:00Z') },
      ]);

      const view = await service.forMessage(ALICE, ROOM, MESSAGE);

      // Carol has left the conversation since: her receipts are no longer shown.
      expect(repository.firstReaching).toHaveBeenCalledWith(ROOM, SEQ);
      expect(view).toEqual({
        messageId: MESSAGE,
        seq: SEQ,
        deliveredTo: [
          { userId: ALICE, at: '2026-01-01T10:00:00.000Z' },
          { userId: BOB, at: '2026-01-01T10:01:00.000Z' },
        ],
        readBy: [{ userId: BOB, at: '2026-01-01T10:03:00.000Z' }],
        deliveredCount: 2,
        readCount: 1,
      });
    });

    it('lists the first `limit` of each kind, earliest first, and counts them all', async () => {
      membership.assertMember.mockResolvedValue(new Set([ALICE, BOB, CAROL]));
      repository.firstReaching.mockResolvedValue([
        { user_id: CAROL, kind: 'delivered', at: new Date('2026-01-01T10:02:00Z') },
        { user_id: ALICE, kind: 'delivered', at: new Date('2026-01-01T10:00:00Z') },
        { user_id: BOB, kind: 'delivered', at: new Date('2026-01-01T10:01:00Z') },
      ]);

      const view = await service.forMessage(ALICE, ROOM, MESSAGE, 2);

      expect(view.deliveredTo.map((e) => e.userId)).toEqual([ALICE, BOB]);
      expect(view).toMatchObject({ deliveredCount: 3, readCount: 0, readBy: [] });
    });

    it('refuses a non-member with 404', async () => {
      await expect(service.forMessage(MALLORY, ROOM, MESSAGE)).rejects.toThrow(NotFoundException);
      expect(repository.firstReaching).not.toHaveBeenCalled();
    });
  });
});
