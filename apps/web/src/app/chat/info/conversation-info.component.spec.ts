import { signal } from '@angular/core';
import type { ComponentFixture } from '@angular/core/testing';
import { TestBed } from '@angular/core/testing';
import type {
  ConversationMemberView,
  ConversationView,
  MemberRole,
  UserView,
} from '@chat/shared-dto';
import { of } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { ChatSession } from '../chat-session.service';
import { ConversationsApi } from '../conversations/conversations.api';
import { ConversationsStore } from '../conversations/conversations.store';
import { KeysApi } from '../e2e/keys.api';
import { ConversationInfoComponent } from './conversation-info.component';

// The real computation is covered by verification/safety-number.spec (in Node, with WebCrypto).
jest.mock('../verification/safety-number', () => ({
  ...jest.requireActual('../verification/safety-number'),
  computeSafetyNumber: jest.fn(async () => '12345'.repeat(12)),
}));

const keyDevice = (userId: string) => ({
  userId,
  deviceId: 1,
  registrationId: 1,
  identityKey: btoa(userId.padEnd(33, '.')),
  createdAt: '2024-01-01T00:00:00Z',
});
const keysApi = { devicesOf: jest.fn((userId: string) => of([keyDevice(userId)])) };

const member = (
  id: string,
  role: MemberRole,
  status: 'online' | 'offline' = 'offline',
): ConversationMemberView => ({
  id,
  username: id,
  displayName: id === 'me' ? 'Me Myself' : null,
  status,
  role,
  lastReadSeq: 0,
  lastDeliveredSeq: 0,
});

function group(myRole: MemberRole): ConversationView {
  return {
    encrypted: false,
    id: 'g1',
    type: 'group',
    name: 'Book club',
    members: [
      member('me', myRole),
      member('ana', myRole === 'owner' ? 'admin' : 'owner', 'online'),
      member('bob', 'member'),
    ],
    unreadCount: 0,
    unreadMentions: 0,
    memberCount: 3,
    lastRev: 0,
    lastReadSeq: 0,
    createdAt: '2024-01-01T00:00:00Z',
    lastActivityAt: '2024-01-01T00:00:00Z',
  };
}

describe('ConversationInfoComponent', () => {
  let api: Record<string, jest.Mock>;
  let forget: jest.Mock;
  let store: ConversationsStore;

  async function render(conversation: ConversationView) {
    api = {
      get: jest.fn(() => of(conversation)),
      rename: jest.fn((_id: string, name: string) => of({ ...conversation, name })),
      setRole: jest.fn(() => of(conversation)),
      removeMember: jest.fn(() => of(undefined)),
      addMembers: jest.fn(() => of(conversation)),
      leave: jest.fn(() => of(undefined)),
      searchUsers: jest.fn(() => of([] as UserView[])),
      members: jest.fn(() => of({ members: [member('cat', 'member'), member('dan', 'member')] })),
    };
    forget = jest.fn();
    TestBed.configureTestingModule({
      providers: [
        ConversationsStore,
        { provide: ConversationsApi, useValue: api },
        { provide: ChatSession, useValue: { connection: signal('connected'), forget } },
        { provide: AuthStore, useValue: { userId: signal('me') } },
        { provide: KeysApi, useValue: keysApi },
      ],
    });
    store = TestBed.inject(ConversationsStore);
    store.setAll([conversation]);
    const fixture = TestBed.createComponent(ConversationInfoComponent);
    fixture.componentRef.setInput('conversation', conversation);
    fixture.componentInstance.open();
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  const testids = (element: HTMLElement, id: string) =>
    [...element.querySelectorAll(`[data-testid="${id}"]`)] as HTMLElement[];

  it('lists members with roles, @usernames and presence, counting the viewer online', async () => {
    const { element } = await render(group('member'));
    const rows = testids(element, 'group-member');
    expect(rows.map((row) => row.dataset['userId'])).toEqual(['ana', 'me', 'bob']);
    expect(rows[0].textContent).toContain('@ana');
    expect(rows[0].querySelector('[data-testid="member-role"]')?.textContent).toContain('Owner');
    expect(rows[0].querySelector('[data-testid="member-presence"]')?.textContent).toBe('online');
    expect(rows[1].textContent).toContain('Me Myself (you)');
    expect(testids(element, 'group-info-summary')[0].textContent).toContain('3 members, 2 online');
  });

  it('pages in a large group\'s members past the embedded ones with "Show more"', async () => {
    const { fixture, element } = await render({ ...group('member'), memberCount: 5 });
    expect(element.querySelector('#members-heading')?.textContent).toContain('5 members');
    expect(testids(element, 'group-member')).toHaveLength(3);
    testids(element, 'group-members-more')[0].click();
    await fixture.whenStable();
    expect(api['members']).toHaveBeenCalledWith('g1', undefined, 100);
    expect(testids(element, 'group-member').map((row) => row.dataset['userId'])).toEqual(
      expect.arrayContaining(['cat', 'dan', 'me', 'ana', 'bob']),
    );
    expect(testids(element, 'group-member')).toHaveLength(5);
    expect(testids(element, 'group-members-more')).toHaveLength(0);
  });

  it('shows no "Show more" when every member is embedded', async () => {
    const { element } = await render(group('member'));
    expect(testids(element, 'group-members-more')).toHaveLength(0);
  });

  it('offers a plain member no management, only leaving', async () => {
    const { element } = await render(group('member'));
    for (const id of [
      'member-remove',
      'member-make-admin',
      'group-rename-button',
      'group-add-search',
    ])
      expect(testids(element, id)).toHaveLength(0);
    expect(testids(element, 'group-leave')).toHaveLength(1);
  });

  it('lets the owner make admins, remove and rename through the API', async () => {
    const { fixture, element } = await render(group('owner'));
    const bob = element.querySelector('[data-testid="group-member"][data-user-id="bob"]');
    if (!bob) throw new Error('bob is not listed');
    (bob.querySelector('[data-testid="member-make-admin"]') as HTMLButtonElement).click();
    expect(api['setRole']).toHaveBeenCalledWith('g1', 'bob', 'admin');
    await fixture.whenStable();
    (bob.querySelector('[data-testid="member-remove"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(api['removeMember']).toHaveBeenCalledWith('g1', 'bob');

    testids(element, 'group-rename-button')[0].click();
    await fixture.whenStable();
    const input = testids(element, 'group-name-input')[0] as HTMLInputElement;
    input.value = 'Reading club';
    input.dispatchEvent(new Event('input'));
    testids(element, 'group-rename-save')[0].click();
    await fixture.whenStable();
    expect(api['rename']).toHaveBeenCalledWith('g1', 'Reading club');
    expect(store.get('g1')?.name).toBe('Reading club');
  });

  it('leaves after a confirmation and forgets the conversation', async () => {
    const { fixture, element } = await render(group('member'));
    testids(element, 'group-leave')[0].click();
    await fixture.whenStable();
    expect(api['leave']).not.toHaveBeenCalled();
    testids(element, 'group-leave-confirm')[0].click();
    await fixture.whenStable();
    expect(api['leave']).toHaveBeenCalledWith('g1');
    expect(forget).toHaveBeenCalledWith('g1');
  });
});

describe('ConversationInfoComponent, direct', () => {
  const direct: ConversationView = {
    encrypted: false,
    id: 'd1',
    type: 'direct',
    members: [member('me', 'member'), { ...member('ana', 'member', 'online'), displayName: 'Ana' }],
    unreadCount: 0,
    unreadMentions: 0,
    memberCount: 2,
    lastRev: 0,
    lastReadSeq: 0,
    createdAt: '2024-01-01T00:00:00Z',
    lastActivityAt: '2024-01-01T00:00:00Z',
  };

  /** Lets the safety number's fetches and computation settle. */
  async function settle(fixture: { whenStable(): Promise<unknown> }) {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  async function reopen(fixture: ComponentFixture<ConversationInfoComponent>) {
    fixture.componentInstance.close();
    fixture.componentInstance.open();
    await settle(fixture);
  }

  async function render(conversation: ConversationView) {
    localStorage.clear();
    const encrypted = { ...direct, encrypted: true, encryptedAt: '2024-01-02T00:00:00Z' };
    const api = {
      get: jest.fn(() => of(conversation)),
      enableEncryption: jest.fn(() => of(encrypted)),
    };
    TestBed.configureTestingModule({
      providers: [
        ConversationsStore,
        { provide: ConversationsApi, useValue: api },
        { provide: ChatSession, useValue: { connection: signal('connected'), forget: jest.fn() } },
        { provide: AuthStore, useValue: { userId: signal('me') } },
        { provide: KeysApi, useValue: keysApi },
      ],
    });
    const store = TestBed.inject(ConversationsStore);
    store.setAll([conversation]);
    const fixture = TestBed.createComponent(ConversationInfoComponent);
    fixture.componentRef.setInput('conversation', conversation);
    fixture.componentInstance.open();
    await settle(fixture);
    const element = fixture.nativeElement as HTMLElement;
    const byTestid = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { fixture, element, api, store, byTestid };
  }

  it('turns end-to-end encryption on after a confirmation that explains it', async () => {
    const { fixture, api, store, byTestid } = await render(direct);
    expect(byTestid('encryption-on')).toBeNull();
    byTestid('encryption-enable')?.click();
    await fixture.whenStable();
    expect(api.enableEncryption).not.toHaveBeenCalled();
    const text = byTestid('encryption')?.textContent ?? '';
    expect(text).toContain("can't be turned off");
    expect(text).toContain('Earlier messages stay as they were');
    expect(text).toContain("Ana's devices");

    byTestid('encryption-confirm')?.click();
    await fixture.whenStable();
    expect(api.enableEncryption).toHaveBeenCalledWith('d1');
    expect(store.get('d1')?.encrypted).toBe(true);

    // The parent passes the store's copy back in.
    fixture.componentRef.setInput('conversation', store.get('d1'));
    await fixture.whenStable();
    expect(byTestid('encryption-on')).not.toBeNull();
    expect(byTestid('verify-safety-number')).not.toBeNull();
  });

  it('shows "Verified" only while the marked safety number is the current one', async () => {
    const { fixture, byTestid } = await render({ ...direct, encrypted: true });
    expect(byTestid('safety-number-verified-badge')).toBeNull();

    localStorage.setItem('chat.e2e.verified:me:ana', '12345'.repeat(12));
    await reopen(fixture);
    expect(byTestid('safety-number-verified-badge')?.textContent).toContain('Verified');

    localStorage.setItem('chat.e2e.verified:me:ana', '54321'.repeat(12));
    await reopen(fixture);
    expect(byTestid('safety-number-verified-badge')).toBeNull();
  });

  it('opens the safety number in 12 groups of 5 and marks it verified', async () => {
    const { fixture, byTestid } = await render({ ...direct, encrypted: true });
    byTestid('verify-safety-number')?.click();
    await settle(fixture);
    const number = byTestid('safety-number');
    expect(number?.querySelectorAll('span')).toHaveLength(12);
    expect(number?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      Array(12).fill('12345').join(' '),
    );
    expect(byTestid('safety-number-dialog')?.textContent).toContain(
      'Compare these numbers with Ana in person or over a call',
    );
    byTestid('safety-number-mark-verified')?.click();
    await fixture.whenStable();
    expect(localStorage.getItem('chat.e2e.verified:me:ana')).toBe('12345'.repeat(12));
    expect(byTestid('safety-number-verified')).not.toBeNull();
    expect(byTestid('safety-number-verified-badge')).not.toBeNull();
  });

  it('offers no encryption in a note to self', async () => {
    const { byTestid } = await render({ ...direct, members: [member('me', 'member')] });
    expect(byTestid('encryption')).toBeNull();
  });

  it("shows the other person's @username and presence", async () => {
    const direct: ConversationView = {
      encrypted: false,
      id: 'd1',
      type: 'direct',
      members: [
        member('me', 'member'),
        { ...member('ana', 'member', 'online'), displayName: 'Ana' },
      ],
      unreadCount: 0,
      unreadMentions: 0,
      memberCount: 2,
      lastRev: 0,
      lastReadSeq: 0,
      createdAt: '2024-01-01T00:00:00Z',
      lastActivityAt: '2024-01-01T00:00:00Z',
    };
    TestBed.configureTestingModule({
      providers: [
        ConversationsStore,
        { provide: ConversationsApi, useValue: { get: () => of(direct) } },
        { provide: ChatSession, useValue: { connection: signal('connected'), forget: jest.fn() } },
        { provide: AuthStore, useValue: { userId: signal('me') } },
        { provide: KeysApi, useValue: keysApi },
      ],
    });
    const fixture = TestBed.createComponent(ConversationInfoComponent);
    fixture.componentRef.setInput('conversation', direct);
    fixture.componentInstance.open();
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.querySelector('[data-testid="profile-username"]')?.textContent).toBe('@ana');
    expect(element.querySelector('[data-testid="profile-presence"]')?.textContent).toBe('online');
    expect(element.querySelector('[data-testid="group-members"]')).toBeNull();
  });
});
