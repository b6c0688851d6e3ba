import { DOCUMENT, Injectable, computed, effect, inject, signal } from '@angular/core';

export type ThemePreference = 'system' | 'light' | 'dark';
const KEY = 'chat.theme';

function readPreference(): ThemePreference {
  try {
    const value = globalThis.localStorage?.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Light, dark or the system's choice, stored per browser and applied as `data-theme` on <html>. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly document = inject(DOCUMENT);
  private readonly preference = signal<ThemePreference>(readPreference());
  private readonly systemDark = signal(false);

  readonly mode = this.preference.asReadonly();
  /** The theme actually shown. */
  readonly effective = computed(() => {
    const preference = this.preference();
    if (preference !== 'system') return preference;
    return this.systemDark() ? 'dark' : 'light';
  });

  constructor() {
    const media = this.document.defaultView?.matchMedia?.('(prefers-color-scheme: dark)');
    if (media) {
      this.systemDark.set(media.matches);
      media.addEventListener?.('change', (event) => this.systemDark.set(event.matches));
    }
    effect(() => {
      const root = this.document.documentElement;
      const preference = this.preference();
      if (preference === 'system') root.removeAttribute('data-theme');
      else root.setAttribute('data-theme', preference);
    });
  }

  set(preference: ThemePreference): void {
    this.preference.set(preference);
    try {
      if (preference === 'system') globalThis.localStorage?.removeItem(KEY);
      else globalThis.localStorage?.setItem(KEY, preference);
    } catch {
      // not persisted
    }
  }

  /** Flips between light and dark from whatever is shown now. */
  toggle(): void {
    this.set(this.effective() === 'dark' ? 'light' : 'dark');
  }
}
