import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { ConversationMemberView, ConversationView, UserView } from '@chat/shared-dto';
import { of } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { ChatSession } from '../chat-session.service';
import { ConversationsApi } from '../conversations/conversations.api';
import { ConversationsStore } from '../conversations/conversations.store';
import { BlocksStore } from './blocks.store';
import { ProfileApi } from './profile.api';
import { ProfileCardComponent } from './profile-card.component';

const member = (id: string, overrides: Partial<ConversationMemberView> = {}) =>
  ({
    id,
    username: id,
    status: 'offline',
    role: 'member',
    lastReadSeq: 0,
    lastDeliveredSeq: 0,
    ...overrides,
  }) as ConversationMemberView;

const conversation = (
  id: string,
  type: ConversationView['type'],
  members: ConversationMemberView[],
  name: string | null = null,
): ConversationView => ({
  encrypted: false,
  id,
  type,
  name,
  members,
  unreadCount: 0,
  unreadMentions: 0,
  memberCount: members.length,
  lastRev: 0,
  lastReadSeq: 0,
  createdAt: '2024-01-01T00:00:00Z',
  lastActivityAt: '2024-01-01T00:00:00Z',
});

const me: UserView = { id: 'me', username: 'me', displayName: 'Me Myself', status: 'online' };

describe('ProfileCardComponent', () => {
  let profiles: Record<string, jest.Mock>;
  let conversationsApi: { openDirect: jest.Mock };
  let store: ConversationsStore;

  async function render(userId: string, list: ConversationView[]) {
    profiles = {
      user: jest.fn((id: string) =>
        of({ id, username: id, status: 'offline', lastSeen: null, statusMessage: 'Fetched' }),
      ),
      blocked: jest.fn(() => of([])),
      block: jest.fn(() => of(undefined)),
      unblock: jest.fn(() => of(undefined)),
    };
    conversationsApi = {
      openDirect: jest.fn((id: string) =>
        of(conversation('d-new', 'direct', [member('me'), member(id)])),
      ),
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        ConversationsStore,
        { provide: ProfileApi, useValue: profiles },
        { provide: ConversationsApi, useValue: conversationsApi },
        { provide: ChatSession, useValue: { connection: signal('connected') } },
        { provide: AuthStore, useValue: { userId: signal('me'), user: signal(me) } },
      ],
    });
    store = TestBed.inject(ConversationsStore);
    store.setAll(list);
    await TestBed.inject(BlocksStore).load();
    const fixture = TestBed.createComponent(ProfileCardComponent);
    await fixture.whenStable();
    fixture.componentInstance.open(userId);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const find = (id: string) => element.querySelector<HTMLElement>(`[data-testid="${id}"]`);
    return { fixture, element, find };
  }

  const bo = member('bo', { displayName: 'Bo Berg', status: 'online', statusMessage: 'Live' });
  const list = [
    conversation('g1', 'group', [member('me'), bo, member('cy')], 'Book club'),
    conversation('d1', 'direct', [member('me'), bo]),
    conversation('g2', 'group', [member('me'), member('cy')], 'Climbing'),
  ];

  it('shows the person as the store knows them, and the groups we share', async () => {
    const { find, element } = await render('bo', list);
    expect(find('profile-card-name')?.textContent?.trim()).toBe('Bo Berg');
    expect(find('profile-card-username')?.textContent).toBe('@bo');
    // The store's copy (kept live) wins over the fetched one.
    expect(find('profile-card-status')?.textContent).toBe('Live');
    expect(find('profile-card-presence')?.textContent).toBe('online');
    const groups = [...element.querySelectorAll('[data-testid="profile-card-group"]')];
    expect(groups.map((group) => group.textContent?.trim())).toEqual(['Book club']);
    expect(find('profile-card-edit')).toBeNull();
  });

  it('follows a profile change while open', async () => {
    const { find, fixture } = await render('bo', list);
    store.applyProfile({
      id: 'bo',
      username: 'bo',
      displayName: 'Bo Renamed',
      avatarUrl: null,
      statusMessage: null,
    });
    await fixture.whenStable();
    expect(find('profile-card-name')?.textContent?.trim()).toBe('Bo Renamed');
    expect(find('profile-card-status')).toBeNull();
  });

  it('blocks only after the confirm, then offers to unblock', async () => {
    const { find, fixture } = await render('bo', list);
    find('profile-card-block')?.click();
    await fixture.whenStable();
    expect(profiles['block']).not.toHaveBeenCalled();
    find('profile-card-block-cancel')?.click();
    await fixture.whenStable();
    find('profile-card-block')?.click();
    await fixture.whenStable();
    find('profile-card-block-confirm')?.click();
    await fixture.whenStable();
    expect(profiles['block']).toHaveBeenCalledWith('bo');
    expect(TestBed.inject(BlocksStore).isBlocked('bo')).toBe(true);
    expect(find('profile-card-block')).toBeNull();

    find('profile-card-unblock')?.click();
    await fixture.whenStable();
    expect(profiles['unblock']).toHaveBeenCalledWith('bo');
    expect(TestBed.inject(BlocksStore).isBlocked('bo')).toBe(false);
    expect(find('profile-card-block')).not.toBeNull();
  });

  it('opens the existing direct conversation, or has the server make one', async () => {
    const { find, fixture } = await render('bo', list);
    const router = TestBed.inject(Router);
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    const navigated = jest.fn();
    fixture.componentInstance.navigated.subscribe(navigated);
    find('profile-card-message')?.click();
    await fixture.whenStable();
    expect(conversationsApi.openDirect).not.toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith(['/c', 'd1']);
    // The conversation closes its info panel on this.
    expect(navigated).toHaveBeenCalledTimes(1);

    fixture.componentInstance.open('cy');
    await fixture.whenStable();
    find('profile-card-message')?.click();
    await fixture.whenStable();
    expect(conversationsApi.openDirect).toHaveBeenCalledWith('cy');
    expect(store.has('d-new')).toBe(true);
    expect(navigate).toHaveBeenLastCalledWith(['/c', 'd-new']);
  });

  it('shows someone met nowhere else as fetched', async () => {
    const { find } = await render('dee', list);
    expect(profiles['user']).toHaveBeenCalledWith('dee');
    expect(find('profile-card-name')?.textContent?.trim()).toBe('dee');
    expect(find('profile-card-status')?.textContent).toBe('Fetched');
    expect(find('profile-card-shared-groups')?.textContent).toContain('No groups in common');
  });

  it('leads to settings from my own card, with nothing to block', async () => {
    const { find } = await render('me', list);
    expect(find('profile-card-name')?.textContent?.trim()).toBe('Me Myself');
    expect(find('profile-card-edit')?.getAttribute('href')).toBe('/settings');
    expect(find('profile-card-block')).toBeNull();
    expect(find('profile-card-message')).toBeNull();
    expect(find('profile-card-shared-groups')).toBeNull();
  });
});
