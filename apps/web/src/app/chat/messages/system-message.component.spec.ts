import { TestBed } from '@angular/core/testing';
import type { ConversationMemberView } from '@chat/shared-dto';
import { SystemMessageComponent, systemText } from './system-message.component';
import type { DisplayMessage } from './timeline';

const ana: ConversationMemberView = {
  id: 'ana',
  username: 'ana',
  displayName: 'Ana Lima',
  status: 'online',
  role: 'member',
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
};

const message = (senderId: string, own = false) =>
  ({
    id: 'm1',
    senderId,
    own,
    type: 'system',
    text: 'ana turned on end-to-end encryption',
  }) as DisplayMessage;

describe('system messages', () => {
  it('names who turned encryption on from the members', () => {
    expect(systemText(message('ana'), { kind: 'encryption-enabled' }, [ana])).toBe(
      'Ana Lima turned on end-to-end encryption',
    );
    expect(systemText(message('me', true), { kind: 'encryption-enabled' }, [ana])).toBe(
      'You turned on end-to-end encryption',
    );
  });

  it("falls back to the server's words for an unknown sender or kind", () => {
    expect(systemText(message('zed'), { kind: 'encryption-enabled' }, [ana])).toBe(
      'ana turned on end-to-end encryption',
    );
    expect(systemText(message('ana'), null, [ana])).toBe('ana turned on end-to-end encryption');
  });

  it('renders a line with a lock, not a bubble', async () => {
    const fixture = TestBed.createComponent(SystemMessageComponent);
    fixture.componentRef.setInput('message', message('ana'));
    fixture.componentRef.setInput('system', { kind: 'encryption-enabled' });
    fixture.componentRef.setInput('members', [ana]);
    await fixture.whenStable();
    const line = (fixture.nativeElement as HTMLElement).querySelector(
      '[data-testid="system-message"]',
    );
    expect(line?.textContent?.trim()).toBe('Ana Lima turned on end-to-end encryption');
    expect(line?.querySelector('chat-lock-icon')).not.toBeNull();
    expect(line?.getAttribute('data-message-id')).toBe('m1');
  });
});
