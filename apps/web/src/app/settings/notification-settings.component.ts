import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { NotificationPreferencesService } from '../notifications/notification-preferences.service';
import type { NotificationPreferences } from '../notifications/notification-preferences.service';
import { PushSubscriptionService } from '../notifications/push-subscription.service';

/**
 * The notification part of the settings page: desktop notifications (and Web Push), in-app
 * toasts, and their sound. Turning desktop notifications on asks the browser's permission.
 */
@Component({
  selector: 'chat-notification-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section
      class="settings"
      aria-labelledby="notification-settings-heading"
      data-testid="notification-settings"
    >
      <h2 id="notification-settings-heading">Notifications</h2>
      <label class="row">
        <input
          type="checkbox"
          data-testid="pref-desktop"
          [checked]="prefs().desktop && permission() === 'granted'"
          [disabled]="permission() === 'denied' || permission() === 'unsupported'"
          (change)="toggleDesktop($event)"
        />
        <span>
          <strong>Desktop notifications</strong>
          <small>{{ desktopHint() }}</small>
        </span>
      </label>
      <label class="row">
        <input
          type="checkbox"
          data-testid="pref-toasts"
          [checked]="prefs().toasts"
          (change)="toggle('toasts', $event)"
        />
        <span>
          <strong>In-app notifications</strong>
          <small>A toast for messages in other conversations while the app is open.</small>
        </span>
      </label>
      <label class="row">
        <input
          type="checkbox"
          data-testid="pref-sound"
          [checked]="prefs().sound"
          [disabled]="!prefs().toasts"
          (change)="toggle('sound', $event)"
        />
        <span>
          <strong>Sound</strong>
          <small>A short chime with each in-app notification.</small>
        </span>
      </label>
    </section>
  `,
  styles: `
    .settings {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
    h2 {
      margin: 0;
      font-size: 1.1em;
    }
    .row {
      display: flex;
      gap: 12px;
      align-items: flex-start;
      cursor: pointer;
    }
    .row input {
      margin-top: 3px;
    }
    .row span {
      display: flex;
      flex-direction: column;
    }
    small {
      opacity: 0.7;
    }
  `,
})
export class NotificationSettingsComponent {
  private readonly preferences = inject(NotificationPreferencesService);
  private readonly push = inject(PushSubscriptionService);

  protected readonly prefs = this.preferences.preferences;
  protected readonly permission = this.push.permission;
  protected readonly desktopHint = computed(() => {
    switch (this.permission()) {
      case 'unsupported':
        return 'This browser does not support notifications.';
      case 'denied':
        return 'Blocked in your browser settings for this site.';
      default:
        return this.push.pushSupported
          ? 'While this tab is in the background, and when the app is closed.'
          : 'While this tab is in the background.';
    }
  });

  protected async toggleDesktop(event: Event): Promise<void> {
    const on = (event.target as HTMLInputElement).checked;
    this.preferences.set({ desktop: on });
    if (on && this.permission() !== 'granted') await this.push.requestPermission();
    else await this.push.sync();
  }

  protected toggle(key: Exclude<keyof NotificationPreferences, 'desktop'>, event: Event): void {
    this.preferences.set({ [key]: (event.target as HTMLInputElement).checked });
  }
}
