import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  inject,
  linkedSignal,
  signal,
  viewChild,
  viewChildren,
} from '@angular/core';
import type { ElementRef } from '@angular/core';
import { RouterLink } from '@angular/router';
import { NotificationSettingsComponent } from './notification-settings.component';
import type {
  DEFAULT_LIMITS,
  DirectMessagePolicy,
  SessionView,
  UpdateProfileDto,
} from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AvatarComponent } from '../chat/shared/avatar.component';
import { displayName } from '../chat/shared/format';
import { AuthStore } from '../core/auth/auth.store';
import { parseHttpError } from '../core/http/http-error';
import type { ThemePreference } from '../core/theme/theme.service';
import { ThemeService } from '../core/theme/theme.service';
import { IconComponent } from '../shared/icon.component';
import { fullTime } from '../chat/shared/format';
import { BlockedUsersComponent } from './blocked-users.component';
import { EncryptionDevicesComponent } from './encryption-devices.component';
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

/**
 * Copied from DEFAULT_LIMITS (that lib is types-only in the web bundle); the literal types of
 * its `as const` make a drift a compile error.
 */
const LIMITS: Pick<typeof DEFAULT_LIMITS, 'displayNameMax' | 'statusMessageMax'> = {
  displayNameMax: 64,
  statusMessageMax: 140,
};

/** What the profile form sends: trimmed, and an empty field clears it. */
function profileValue(text: string): string | null {
  return text.trim() || null;
}

/**
 * Settings: profile, privacy, theme, notifications, blocked people, devices with encryption keys,
 * sessions, password and deleting the account.
 */
@Component({
  selector: 'chat-settings',
  imports: [
    RouterLink,
    IconComponent,
    AvatarComponent,
    NotificationSettingsComponent,
    BlockedUsersComponent,
    EncryptionDevicesComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings.component.html',
  styleUrl: './settings.component.css',
})
export class SettingsComponent {
  private readonly api = inject(SettingsApi);
  private readonly auth = inject(AuthStore);
  private readonly injector = inject(Injector);
  protected readonly theme = inject(ThemeService);
  protected readonly limits = LIMITS;

  protected readonly me = this.auth.user;
  protected readonly meName = computed(() => displayName(this.me()));

  protected readonly uploading = signal(false);
  protected readonly avatarError = signal<string | null>(null);

  private readonly savedProfile = computed(
    () => ({
      displayName: this.me()?.displayName ?? '',
      statusMessage: this.me()?.statusMessage ?? '',
    }),
    // Only these two fields reset the draft: an avatar upload must not wipe what is typed.
    { equal: (a, b) => a.displayName === b.displayName && a.statusMessage === b.statusMessage },
  );
  /** The form's text; a saved change (here or on another device) replaces it. */
  protected readonly profile = linkedSignal(() => this.savedProfile());
  protected readonly profileChanged = computed(() => {
    const me = this.me();
    const draft = this.profile();
    return (
      profileValue(draft.displayName) !== (me?.displayName ?? null) ||
      profileValue(draft.statusMessage) !== (me?.statusMessage ?? null)
    );
  });
  protected readonly savingProfile = signal(false);
  protected readonly profileError = signal<string | null>(null);
  protected readonly profileFieldErrors = signal<Record<string, string>>({});
  protected readonly profileDone = signal(false);

  protected readonly dmPolicies: readonly { value: DirectMessagePolicy; label: string }[] = [
    { value: 'everyone', label: 'Everyone' },
    { value: 'shared-groups', label: 'People I share a group with' },
  ];
  /** The server's default for a record that predates the setting. */
  protected readonly dmPolicy = computed<DirectMessagePolicy>(
    () => this.me()?.directMessages ?? 'everyone',
  );
  protected readonly policyError = signal<string | null>(null);
  private readonly policyRadios = viewChildren<ElementRef<HTMLInputElement>>('policyRadio');

  protected readonly deleting = signal(false);
  protected readonly confirmingDelete = signal(false);
  protected readonly deletePassword = signal('');
  protected readonly deleteError = signal<string | null>(null);
  private readonly deletePasswordInput =
    viewChild<ElementRef<HTMLInputElement>>('deletePasswordInput');
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
    // The stored copy may be from another device's era (an older policy, a changed avatar).
    this.auth.refreshUser().catch(() => undefined);
  }

  protected async uploadAvatar(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    // Cleared so that picking the same file again still fires a change.
    input.value = '';
    if (!file || this.uploading()) return;
    this.uploading.set(true);
    this.avatarError.set(null);
    try {
      this.auth.updateUser(await firstValueFrom(this.api.uploadAvatar(file)));
    } catch (err) {
      this.avatarError.set(parseHttpError(err).message);
    } finally {
      this.uploading.set(false);
    }
  }

  protected async removeAvatar(): Promise<void> {
    if (this.uploading()) return;
    this.uploading.set(true);
    this.avatarError.set(null);
    try {
      this.auth.updateUser(await firstValueFrom(this.api.updateProfile({ avatarUrl: null })));
    } catch (err) {
      this.avatarError.set(parseHttpError(err).message);
    } finally {
      this.uploading.set(false);
    }
  }

  protected onProfileField(field: 'displayName' | 'statusMessage', event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.profile.update((draft) => ({ ...draft, [field]: value }));
    this.profileDone.set(false);
  }

  protected async saveProfile(event: Event): Promise<void> {
    event.preventDefault();
    if (this.savingProfile() || !this.profileChanged()) return;
    const draft = this.profile();
    const body: UpdateProfileDto = {
      displayName: profileValue(draft.displayName),
      statusMessage: profileValue(draft.statusMessage),
    };
    this.savingProfile.set(true);
    this.profileError.set(null);
    this.profileFieldErrors.set({});
    this.profileDone.set(false);
    try {
      this.auth.updateUser(await firstValueFrom(this.api.updateProfile(body)));
      this.profileDone.set(true);
    } catch (err) {
      const parsed = parseHttpError(err, ['displayName', 'statusMessage']);
      this.profileFieldErrors.set(parsed.fields);
      this.profileError.set(parsed.message || null);
    } finally {
      this.savingProfile.set(false);
    }
  }

  /** Saved on change; the radios stay enabled so that arrow keys keep their focus. */
  protected async setDmPolicy(value: DirectMessagePolicy): Promise<void> {
    this.policyError.set(null);
    try {
      this.auth.updateUser(await firstValueFrom(this.api.updateProfile({ directMessages: value })));
    } catch (err) {
      this.policyError.set(`Could not change who can message you. ${parseHttpError(err).message}`);
      // The browser already checked the clicked radio; the [checked] binding of the saved one
      // has not changed, so Angular would leave the DOM showing the choice that failed.
      for (const radio of this.policyRadios())
        radio.nativeElement.checked = radio.nativeElement.value === this.dmPolicy();
    }
  }

  protected openDelete(): void {
    this.confirmingDelete.set(true);
    this.deletePassword.set('');
    this.deleteError.set(null);
    afterNextRender(() => this.deletePasswordInput()?.nativeElement.focus(), {
      injector: this.injector,
    });
  }

  protected cancelDelete(): void {
    this.confirmingDelete.set(false);
    this.deleteError.set(null);
  }

  protected onDeletePassword(event: Event): void {
    this.deletePassword.set((event.target as HTMLInputElement).value);
    this.deleteError.set(null);
  }

  protected async deleteAccount(event: Event): Promise<void> {
    event.preventDefault();
    const password = this.deletePassword();
    if (this.deleting()) return;
    if (!password) {
      this.deleteError.set('Enter your password to confirm.');
      return;
    }
    this.deleting.set(true);
    this.deleteError.set(null);
    try {
      await firstValueFrom(this.api.deleteAccount(password));
    } catch (err) {
      const parsed = parseHttpError(err, ['password']);
      this.deleteError.set(
        parsed.status === 401
          ? 'The password is wrong.'
          : parsed.message || Object.values(parsed.fields).join(' '),
      );
      this.deleting.set(false);
      return;
    }
    // The server revoked every session: logout's own request fails quietly, and it ends the
    // session here and goes to /login.
    await this.auth.logout();
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
