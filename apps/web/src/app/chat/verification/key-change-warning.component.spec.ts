import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ConversationView, DeviceKeysView } from '@chat/shared-dto';
import { of } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { KeysApi } from '../e2e/keys.api';
import { PageVisibility } from '../shared/page-visibility.service';
import { KeyChangeWarningComponent } from './key-change-warning.component';

jest.mock('./safety-number', () => ({
  ...jest.requireActual('./safety-number'),
  computeSafetyNumber: jest.fn(async () => '11111'.repeat(12)),
}));

const device = (userId: string, deviceId: number, identityKey: string): DeviceKeysView => ({
  userId,
  deviceId,
  registrationId: 1,
  identityKey,
  createdAt: '2026-01-01T00:00:00Z',
});

const member = (id: string, displayName: string) => ({
  id,
  username: id,
  displayName,
  status: 'offline' as const,
  role: 'member' as const,
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

const conversation: ConversationView = {
  id: 'd1',
  type: 'direct',
  encrypted: true,
  encryptedAt: '2026-01-01T00:00:00Z',
  members: [member('me', 'Me'), member('ana', 'Ana')],
  unreadCount: 0,
  unreadMentions: 0,
  memberCount: 2,
  lastRev: 0,
  lastReadSeq: 0,
  createdAt: '2026-01-01T00:00:00Z',
  lastActivityAt: '2026-01-01T00:00:00Z',
};

describe('KeyChangeWarningComponent', () => {
  let devices: Record<string, DeviceKeysView[]>;

  async function render(view: ConversationView = conversation) {
    TestBed.configureTestingModule({
      providers: [
        { provide: AuthStore, useValue: { userId: signal('me') } },
        { provide: KeysApi, useValue: { devicesOf: (id: string) => of(devices[id] ?? []) } },
        { provide: PageVisibility, useValue: { visible: signal(true) } },
      ],
    });
    const fixture = TestBed.createComponent(KeyChangeWarningComponent);
    fixture.componentRef.setInput('conversation', view);
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const byTestid = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { fixture, byTestid };
  }

  beforeEach(() => {
    localStorage.clear();
    devices = { me: [device('me', 1, btoa('m'.repeat(33)))], ana: [device('ana', 1, 'A')] };
  });

  it('says nothing the first time the other person is seen', async () => {
    const { byTestid } = await render();
    expect(byTestid('key-change-warning')).toBeNull();
    expect(localStorage.getItem('chat.e2e.seen:me:ana')).toBe(
      JSON.stringify([{ deviceId: 1, identityKey: 'A' }]),
    );
  });

  it('warns when they have a new device, opens the safety number, and can be dismissed', async () => {
    localStorage.setItem(
      'chat.e2e.seen:me:ana',
      JSON.stringify([{ deviceId: 1, identityKey: 'A' }]),
    );
    devices['ana'] = [device('ana', 1, 'A'), device('ana', 2, 'B')];
    const { fixture, byTestid } = await render();
    expect(byTestid('key-change-warning')?.textContent?.replace(/\s+/g, ' ')).toContain(
      "Ana's safety number changed: they added a device or reinstalled. Verify it.",
    );
    byTestid('key-change-verify')?.click();
    await fixture.whenStable();
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
    expect(byTestid('safety-number')?.dataset['safetyNumber']).toBe('11111'.repeat(12));

    byTestid('key-change-dismiss')?.click();
    await fixture.whenStable();
    expect(byTestid('key-change-warning')).toBeNull();
  });

  it('does not look at keys in a conversation that is not encrypted', async () => {
    localStorage.setItem(
      'chat.e2e.seen:me:ana',
      JSON.stringify([{ deviceId: 1, identityKey: 'Z' }]),
    );
    const { byTestid } = await render({ ...conversation, encrypted: false });
    expect(byTestid('key-change-warning')).toBeNull();
    expect(localStorage.getItem('chat.e2e.seen:me:ana')).toContain('"Z"');
  });
});
