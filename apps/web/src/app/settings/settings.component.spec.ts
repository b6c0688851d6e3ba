import { HttpErrorResponse } from '@angular/common/http';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import type { SessionView, UpdateProfileDto, UserView } from '@chat/shared-dto';
import { of, throwError } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { SettingsApi } from './settings.api';
import { ProfileApi } from '../chat/profile/profile.api';
import { SettingsComponent } from './settings.component';
import { KeysApi } from '../chat/e2e/keys.api';

const session = (id: string, current = false): SessionView => ({
  id,
  device: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36',
  ip: '::ffff:10.0.0.1',
  createdAt: '2024-01-01T10:00:00Z',
  lastUsedAt: current ? '2024-01-02T10:00:00Z' : '2024-01-01T11:00:00Z',
  expiresAt: '2024-02-01T10:00:00Z',
  current,
});

const me: UserView = {
  id: 'u-me',
  username: 'ana',
  displayName: 'Ana',
  statusMessage: null,
  avatarUrl: null,
  status: 'online',
  email: 'ana@example.com',
  directMessages: 'everyone',
};

const person = (id: string, username: string): UserView => ({
  id,
  username,
  displayName: username.toUpperCase(),
  status: 'offline',
});

const httpError = (status: number, message: string) =>
  throwError(() => new HttpErrorResponse({ status, error: { message } }));

describe('SettingsComponent', () => {
  let api: {
    sessions: jest.Mock;
    revoke: jest.Mock;
    changePassword: jest.Mock;
    updateProfile: jest.Mock;
    uploadAvatar: jest.Mock;
    deleteAccount: jest.Mock;
  };
  let profileApi: { blocked: jest.Mock; unblock: jest.Mock };
  let logout: jest.Mock;
  let updateUser: jest.Mock;
  let list: SessionView[];
  const user = signal<UserView | null>(null);

  async function render() {
    list = [session('s-other-1'), session('s-me', true), session('s-other-2')];
    user.set(me);
    api = {
      sessions: jest.fn(() => of(list)),
      revoke: jest.fn((id: string) => {
        list = list.filter((s) => s.id !== id);
        return of(undefined);
      }),
      changePassword: jest.fn(() => of({ revokedSessions: 2 })),
      updateProfile: jest.fn((body: UpdateProfileDto) => of({ ...user(), ...body })),
      uploadAvatar: jest.fn(() =>
        of({ ...me, avatarUrl: '/api/avatars/0123456789abcdef0123456789abcdef-256.webp' }),
      ),
      deleteAccount: jest.fn(() => of(undefined)),
    };
    profileApi = {
      blocked: jest.fn(() => of([person('u-bo', 'bo'), person('u-cy', 'cy')])),
      unblock: jest.fn(() => of(undefined)),
    };
    logout = jest.fn(async () => undefined);
    updateUser = jest.fn((next: UserView) => user.set(next));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideServiceWorker('sw.js', { enabled: false }),
        { provide: SettingsApi, useValue: api },
        { provide: ProfileApi, useValue: profileApi },
        { provide: KeysApi, useValue: { ownDevices: () => of([]) } },
        {
          provide: AuthStore,
          useValue: { logout, updateUser, user, refreshUser: jest.fn(async () => undefined) },
        },
      ],
    });
    const fixture = TestBed.createComponent(SettingsComponent);
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  const all = (element: HTMLElement, id: string) =>
    [...element.querySelectorAll(`[data-testid="${id}"]`)] as HTMLElement[];

  it('lists this device first, with a readable device and address', async () => {
    const { element } = await render();
    const rows = all(element, 'session-row');
    expect(rows.map((row) => row.dataset['sessionId'])).toEqual(['s-me', 's-other-1', 's-other-2']);
    expect(rows[0].textContent).toContain('Chrome on Linux');
    expect(rows[0].textContent).toContain('This device');
    expect(rows[0].textContent).toContain('10.0.0.1');
    expect(rows[0].textContent).not.toContain('::ffff:');
  });

  it('revokes one session, and signs out every other device', async () => {
    const { fixture, element } = await render();
    all(element, 'session-revoke')[1].click();
    await fixture.whenStable();
    expect(api.revoke).toHaveBeenCalledWith('s-other-1');
    expect(all(element, 'session-row')).toHaveLength(2);
    all(element, 'sessions-revoke-others')[0].click();
    await fixture.whenStable();
    expect(api.revoke).toHaveBeenCalledWith('s-other-2');
    expect(api.revoke).not.toHaveBeenCalledWith('s-me');
    expect(all(element, 'session-row')).toHaveLength(1);
    expect(all(element, 'sessions-revoke-others')).toHaveLength(0);
  });

  it('signs this device out through the normal logout', async () => {
    const { fixture, element } = await render();
    all(element, 'session-revoke')[0].click();
    await fixture.whenStable();
    expect(logout).toHaveBeenCalled();
    expect(api.revoke).not.toHaveBeenCalled();
  });

  function fill(element: HTMLElement, values: Record<string, string>) {
    for (const [id, value] of Object.entries(values)) {
      const input = all(element, id)[0] as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
  }

  it('changes the password and says how many sessions were signed out', async () => {
    const { fixture, element } = await render();
    fill(element, {
      'password-current': 'old-password',
      'password-new': 'new-password-1',
      'password-confirm': 'new-password-1',
    });
    all(element, 'password-submit')[0].click();
    await fixture.whenStable();
    expect(api.changePassword).toHaveBeenCalledWith('old-password', 'new-password-1');
    expect(all(element, 'password-done')[0].textContent).toContain(
      '2 other sessions were signed out',
    );
  });

  it('says a wrong current password is wrong (and does not send a mismatched pair)', async () => {
    const { fixture, element } = await render();
    fill(element, {
      'password-current': 'x',
      'password-new': 'new-password-1',
      'password-confirm': 'other',
    });
    all(element, 'password-submit')[0].click();
    await fixture.whenStable();
    expect(api.changePassword).not.toHaveBeenCalled();
    expect(element.textContent).toContain('The passwords do not match.');

    api.changePassword.mockReturnValue(
      throwError(
        () =>
          new HttpErrorResponse({ status: 401, error: { message: 'Current password is wrong' } }),
      ),
    );
    fill(element, { 'password-confirm': 'new-password-1' });
    all(element, 'password-submit')[0].click();
    await fixture.whenStable();
    expect(all(element, 'password-error')[0].textContent).toContain(
      'The current password is wrong.',
    );
  });

  it('saves the profile trimmed, an emptied field as null, and updates the store', async () => {
    const { fixture, element } = await render();
    const save = all(element, 'profile-save')[0] as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect((all(element, 'profile-email')[0] as HTMLInputElement).value).toBe('ana@example.com');
    fill(element, { 'profile-display-name': '  Ana Lima  ', 'profile-status': '   ' });
    await fixture.whenStable();
    expect(save.disabled).toBe(false);
    save.click();
    await fixture.whenStable();
    expect(api.updateProfile).toHaveBeenCalledWith({
      displayName: 'Ana Lima',
      statusMessage: null,
    });
    expect(updateUser).toHaveBeenCalledWith(expect.objectContaining({ displayName: 'Ana Lima' }));
    // The draft now shows what was saved, and there is nothing left to save.
    expect((all(element, 'profile-display-name')[0] as HTMLInputElement).value).toBe('Ana Lima');
    expect(all(element, 'profile-done')).toHaveLength(1);
    expect(save.disabled).toBe(true);
  });

  it('shows a profile field error from the server and keeps the draft', async () => {
    const { fixture, element } = await render();
    api.updateProfile.mockReturnValue(
      httpError(400, 'displayName must be shorter than or equal to 64 characters'),
    );
    fill(element, { 'profile-display-name': 'Ana ✨' });
    await fixture.whenStable();
    all(element, 'profile-save')[0].click();
    await fixture.whenStable();
    expect(element.querySelector('[data-testid="settings-profile"]')?.textContent).toContain(
      'DisplayName must be shorter than or equal to 64 characters.',
    );
    expect(updateUser).not.toHaveBeenCalled();
    expect((all(element, 'profile-display-name')[0] as HTMLInputElement).value).toBe('Ana ✨');
  });

  function pick(input: HTMLInputElement, file: File) {
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
  }

  it('uploads a photo, shows the server error of a bad one, and removes it', async () => {
    const { fixture, element } = await render();
    const input = all(element, 'avatar-input')[0] as HTMLInputElement;
    const file = new File(['png'], 'me.png', { type: 'image/png' });
    api.uploadAvatar.mockReturnValueOnce(httpError(415, 'Not a JPEG, PNG, GIF or WebP image'));
    pick(input, file);
    await fixture.whenStable();
    expect(all(element, 'avatar-error')[0].textContent).toContain('Not a JPEG, PNG, GIF or WebP');
    expect(all(element, 'avatar-remove')).toHaveLength(0);

    pick(input, file);
    await fixture.whenStable();
    expect(api.uploadAvatar).toHaveBeenLastCalledWith(file);
    expect(all(element, 'avatar-error')).toHaveLength(0);
    expect(element.querySelector('[data-testid="settings-profile"] img')?.getAttribute('src')).toBe(
      '/api/avatars/0123456789abcdef0123456789abcdef-256.webp',
    );

    all(element, 'avatar-remove')[0].click();
    await fixture.whenStable();
    expect(api.updateProfile).toHaveBeenCalledWith({ avatarUrl: null });
    expect(user()?.avatarUrl).toBeNull();
    expect(all(element, 'avatar-remove')).toHaveLength(0);
  });

  it('saves the direct-message policy on change, and puts the radio back when that fails', async () => {
    const { fixture, element } = await render();
    const everyone = all(element, 'dm-policy-everyone')[0] as HTMLInputElement;
    const shared = all(element, 'dm-policy-shared-groups')[0] as HTMLInputElement;
    expect(everyone.checked).toBe(true);

    api.updateProfile.mockReturnValueOnce(httpError(500, 'Internal server error'));
    shared.click();
    await fixture.whenStable();
    expect(api.updateProfile).toHaveBeenCalledWith({ directMessages: 'shared-groups' });
    expect(all(element, 'dm-policy-error')).toHaveLength(1);
    // Back on the saved choice.
    expect(everyone.checked).toBe(true);
    expect(shared.checked).toBe(false);
    expect(updateUser).not.toHaveBeenCalled();

    shared.click();
    await fixture.whenStable();
    expect(all(element, 'dm-policy-error')).toHaveLength(0);
    expect(user()?.directMessages).toBe('shared-groups');
    expect(shared.checked).toBe(true);
  });

  it('lists the blocked people, and unblocking removes the row', async () => {
    const { fixture, element } = await render();
    expect(all(element, 'blocked-row').map((row) => row.dataset['username'])).toEqual(['bo', 'cy']);
    expect(all(element, 'blocked-row')[0].textContent).toContain('@bo');
    all(element, 'unblock-bo')[0].click();
    await fixture.whenStable();
    expect(profileApi.unblock).toHaveBeenCalledWith('u-bo');
    expect(all(element, 'blocked-row').map((row) => row.dataset['username'])).toEqual(['cy']);

    profileApi.unblock.mockReturnValueOnce(httpError(500, 'Internal server error'));
    all(element, 'unblock-cy')[0].click();
    await fixture.whenStable();
    expect(all(element, 'blocked-error')).toHaveLength(1);
    // A failed unblock keeps the row.
    expect(all(element, 'blocked-row')).toHaveLength(1);

    all(element, 'unblock-cy')[0].click();
    await fixture.whenStable();
    expect(all(element, 'blocked-row')).toHaveLength(0);
    expect(all(element, 'blocked-empty')[0].textContent).toContain("You haven't blocked anyone.");
  });

  it('deleting the account: a wrong password says so and stays signed in', async () => {
    const { fixture, element } = await render();
    expect(all(element, 'delete-password')).toHaveLength(0);
    all(element, 'delete-account-open')[0].click();
    await fixture.whenStable();
    all(element, 'delete-account-confirm')[0].click();
    await fixture.whenStable();
    // No password, no request.
    expect(api.deleteAccount).not.toHaveBeenCalled();

    api.deleteAccount.mockReturnValueOnce(httpError(401, 'Password is wrong'));
    fill(element, { 'delete-password': 'not-it' });
    all(element, 'delete-account-confirm')[0].click();
    await fixture.whenStable();
    expect(api.deleteAccount).toHaveBeenCalledWith('not-it');
    expect(all(element, 'delete-error')[0].textContent).toContain('The password is wrong.');
    expect(logout).not.toHaveBeenCalled();

    fill(element, { 'delete-password': 'the-real-one' });
    all(element, 'delete-account-confirm')[0].click();
    await fixture.whenStable();
    expect(api.deleteAccount).toHaveBeenLastCalledWith('the-real-one');
    expect(logout).toHaveBeenCalledTimes(1);
  });
});
