import { TestBed } from '@angular/core/testing';
import type { ConversationMemberView, MessageReceiptsView } from '@chat/shared-dto';
import { of } from 'rxjs';
import { ConversationsApi } from '../conversations/conversations.api';
import { MessageInfoDialogComponent } from './message-info-dialog.component';

const member = (id: string): ConversationMemberView => ({
  id,
  username: id,
  status: 'offline',
  role: 'member',
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

describe('MessageInfoDialogComponent', () => {
  it('lists who read, who has it and who does not yet, with @usernames', async () => {
    const receipts: MessageReceiptsView = {
      messageId: 'm1',
      seq: 4,
      readBy: [{ userId: 'ana', at: '2024-01-01T10:05:00.000Z' }],
      deliveredTo: [
        { userId: 'ana', at: '2024-01-01T10:01:00.000Z' },
        { userId: 'bob', at: '2024-01-01T10:02:00.000Z' },
      ],
      readCount: 1,
      deliveredCount: 2,
    };
    const get = jest.fn(() => of(receipts));
    TestBed.configureTestingModule({
      providers: [{ provide: ConversationsApi, useValue: { receipts: get } }],
    });
    const fixture = TestBed.createComponent(MessageInfoDialogComponent);
    await fixture.componentInstance.open('c1', 'm1', 'me', ['me', 'ana', 'bob', 'cy'].map(member));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const ids = (testid: string) =>
      [...element.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)].map(
        (row) => row.dataset['userId'],
      );
    expect(get).toHaveBeenCalledWith('c1', 'm1');
    expect(ids('receipt-read')).toEqual(['ana']);
    expect(ids('receipt-delivered')).toEqual(['bob']);
    expect(ids('receipt-waiting')).toEqual(['cy']);
    expect(element.querySelector('[data-testid="receipt-read"]')?.textContent).toContain('@ana');
    expect(
      element.querySelector('[data-testid="receipt-read"] time')?.getAttribute('datetime'),
    ).toBe('2024-01-01T10:05:00.000Z');
  });
});
