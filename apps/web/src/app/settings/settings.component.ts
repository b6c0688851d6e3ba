import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NotificationSettingsComponent } from './notification-settings.component';
import type { SessionView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { parseHttpError } from '../core/http/http-error';
import type { ThemePreference } from '../core/theme/theme.service';
import { ThemeService } from '../core/theme/theme.service';
import { IconComponent } from '../shared/icon.component';
import { fullTime } from '../chat/shared/format';
import { SettingsApi } from './settings.api';
import type { PasswordForm } from './sessions';
import { deviceLabel, displayIp, passwordProblems, sortSessions } from './sessions';

interface SessionRow {
  session: SessionView;
  device: string;
  ip: string;
  lastUsed: string;
  created: string;
}

/** Settings: theme, notifications (its own component goes in the marked slot), sessions, password. */
@Component({
  selector: 'chat-settings',
  imports: [RouterLink, IconComponent, NotificationSettingsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings.component.html',
  styleUrl: './settings.component.css',
})
export class SettingsComponent {
  private readonly api = inject(SettingsApi);
  private readonly auth = inject(AuthStore);
  protected readonly theme = inject(ThemeService);
  protected readonly themes: readonly { value: ThemePreference; label: string }[] = [
    { value: 'system', label: 'Same as the system' },
    { value: 'light', label: 'Light' },
    { value: 'dark', label: 'Dark' },
  ];

  protected readonly sessions = signal<readonly SessionView[] | null>(null);
  protected readonly sessionsError = signal<string | null>(null);
  protected readonly revoking = signal<string | null>(null);
  protected readonly rows = computed<SessionRow[]>(() =>
    sortSessions(this.sessions() ?? []).map((session) => ({
      session,
      device: deviceLabel(session.device),
      ip: displayIp(session.ip),
      lastUsed: fullTime(session.lastUsedAt),
      created: fullTime(session.createdAt),
    })),
  );
  protected readonly others = computed(() => this.rows().filter((row) => !row.session.current));

  protected readonly form = signal<PasswordForm>({ current: '', next: '', confirm: '' });
  protected readonly submitted = signal(false);
  protected readonly problems = computed(() =>
    this.submitted() ? passwordProblems(this.form()) : {},
  );
  protected readonly changing = signal(false);
  protected readonly passwordError = signal<string | null>(null);
  protected readonly passwordDone = signal<string | null>(null);

  constructor() {
    void this.loadSessions();
  }

  protected setTheme(value: ThemePreference): void {
    this.theme.set(value);
  }

  protected async loadSessions(): Promise<void> {
    this.sessionsError.set(null);
    try {
      this.sessions.set(await firstValueFrom(this.api.sessions()));
    } catch (err) {
      this.sessionsError.set(parseHttpError(err).message);
    }
  }

  protected async revoke(row: SessionRow): Promise<void> {
    if (this.revoking()) return;
    if (row.session.current) {
      await this.auth.logout();
      return;
    }
    this.revoking.set(row.session.id);
    this.sessionsError.set(null);
    try {
      await firstValueFrom(this.api.revoke(row.session.id));
      this.sessions.update((list) => (list ?? []).filter((s) => s.id !== row.session.id));
    } catch (err) {
      const parsed = parseHttpError(err);
      // Already gone (expired, revoked elsewhere): the list was stale.
      if (parsed.status === 404) await this.loadSessions();
      else this.sessionsError.set(parsed.message);
    } finally {
      this.revoking.set(null);
    }
  }

  /** "Sign out other devices": every session but this one. */
  protected async revokeOthers(): Promise<void> {
    if (this.revoking()) return;
    this.revoking.set('others');
    this.sessionsError.set(null);
    const results = await Promise.allSettled(
      this.others().map((row) => firstValueFrom(this.api.revoke(row.session.id))),
    );
    const failed = results.filter(
      (result) => result.status === 'rejected' && parseHttpError(result.reason).status !== 404,
    );
    if (failed.length)
      this.sessionsError.set(
        `${failed.length} session${failed.length === 1 ? '' : 's'} could not be signed out.`,
      );
    this.revoking.set(null);
    await this.loadSessions();
  }

  protected onField(field: keyof PasswordForm, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.form.update((form) => ({ ...form, [field]: value }));
    this.passwordDone.set(null);
  }

  protected async changePassword(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.passwordError.set(null);
    this.passwordDone.set(null);
    if (Object.keys(this.problems()).length || this.changing()) return;
    const { current, next } = this.form();
    this.changing.set(true);
    try {
      const { revokedSessions } = await firstValueFrom(this.api.changePassword(current, next));
      this.form.set({ current: '', next: '', confirm: '' });
      this.submitted.set(false);
      this.passwordDone.set(
        revokedSessions
          ? `Password changed. ${revokedSessions} other session${revokedSessions === 1 ? ' was' : 's were'} signed out.`
          : 'Password changed.',
      );
      await this.loadSessions();
    } catch (err) {
      const parsed = parseHttpError(err, ['currentPassword', 'newPassword']);
      this.passwordError.set(
        parsed.status === 401
          ? 'The current password is wrong.'
          : parsed.message || Object.values(parsed.fields).join(' '),
      );
    } finally {
      this.changing.set(false);
    }
  }
}
