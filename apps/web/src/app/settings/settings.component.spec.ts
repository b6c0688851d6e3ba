import { HttpErrorResponse } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import type { SessionView } from '@chat/shared-dto';
import { of, throwError } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { SettingsApi } from './settings.api';
import { SettingsComponent } from './settings.component';

const session = (id: string, current = false): SessionView => ({
  id,
  device: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36',
  ip: '::ffff:10.0.0.1',
  createdAt: '2024-01-01T10:00:00Z',
  lastUsedAt: current ? '2024-01-02T10:00:00Z' : '2024-01-01T11:00:00Z',
  expiresAt: '2024-02-01T10:00:00Z',
  current,
});

describe('SettingsComponent', () => {
  let api: { sessions: jest.Mock; revoke: jest.Mock; changePassword: jest.Mock };
  let logout: jest.Mock;
  let list: SessionView[];

  async function render() {
    list = [session('s-other-1'), session('s-me', true), session('s-other-2')];
    api = {
      sessions: jest.fn(() => of(list)),
      revoke: jest.fn((id: string) => {
        list = list.filter((s) => s.id !== id);
        return of(undefined);
      }),
      changePassword: jest.fn(() => of({ revokedSessions: 2 })),
    };
    logout = jest.fn(async () => undefined);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideServiceWorker('sw.js', { enabled: false }),
        { provide: SettingsApi, useValue: api },
        { provide: AuthStore, useValue: { logout } },
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
});
