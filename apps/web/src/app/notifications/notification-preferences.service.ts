import { Injectable, signal } from '@angular/core';

export interface NotificationPreferences {
  /** Desktop notifications while the tab is hidden, and Web Push while the app is closed. */
  desktop: boolean;
  /** A toast when a message arrives for a conversation that is not open. */
  toasts: boolean;
  /** A short sound with each toast. */
  sound: boolean;
}

const KEY = 'chat.notifications';
const DEFAULTS: NotificationPreferences = { desktop: true, toasts: true, sound: false };

function read(): NotificationPreferences {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return DEFAULTS;
    const parsed = JSON.parse(raw) as Partial<Record<keyof NotificationPreferences, unknown>>;
    const pick = (key: keyof NotificationPreferences) =>
      typeof parsed[key] === 'boolean' ? parsed[key] : DEFAULTS[key];
    return { desktop: pick('desktop'), toasts: pick('toasts'), sound: pick('sound') };
  } catch {
    return DEFAULTS;
  }
}

/** How this browser wants to be told about new messages; kept per browser, like the theme. */
@Injectable({ providedIn: 'root' })
export class NotificationPreferencesService {
  private readonly state = signal<NotificationPreferences>(read());

  readonly preferences = this.state.asReadonly();

  set(change: Partial<NotificationPreferences>): void {
    this.state.update((current) => ({ ...current, ...change }));
    try {
      globalThis.localStorage?.setItem(KEY, JSON.stringify(this.state()));
    } catch {
      // not persisted: private mode or storage full
    }
  }
}
