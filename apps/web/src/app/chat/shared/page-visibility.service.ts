import { DOCUMENT, DestroyRef, Injectable, inject, signal } from '@angular/core';

/** Whether the tab is visible, and a clock that ticks every 30 s for relative times. */
@Injectable({ providedIn: 'root' })
export class PageVisibility {
  private readonly document = inject(DOCUMENT);
  private readonly visibleState = signal(this.document.visibilityState !== 'hidden');
  private readonly clock = signal(Date.now());
  private readonly online = signal(globalThis.navigator?.onLine ?? true);

  readonly visible = this.visibleState.asReadonly();
  readonly now = this.clock.asReadonly();
  readonly browserOnline = this.online.asReadonly();

  constructor() {
    const onVisibility = () => this.visibleState.set(this.document.visibilityState !== 'hidden');
    const onOnline = () => this.online.set(true);
    const onOffline = () => this.online.set(false);
    this.document.addEventListener('visibilitychange', onVisibility);
    const view = this.document.defaultView;
    view?.addEventListener('online', onOnline);
    view?.addEventListener('offline', onOffline);
    view?.addEventListener('focus', onVisibility);
    const timer = setInterval(() => this.clock.set(Date.now()), 30_000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      this.document.removeEventListener('visibilitychange', onVisibility);
      view?.removeEventListener('online', onOnline);
      view?.removeEventListener('offline', onOffline);
      view?.removeEventListener('focus', onVisibility);
    });
  }
}
