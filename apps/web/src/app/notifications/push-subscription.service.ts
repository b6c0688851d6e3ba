import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { SwPush } from '@angular/service-worker';
import type { PushSubscriptionDto, VapidPublicKeyView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { NotificationPreferencesService } from './notification-preferences.service';

export type NotificationPermissionState = NotificationPermission | 'unsupported';

function currentPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Keeps this browser's Web Push subscription in step with the preference and the permission:
 * subscribed (and registered with the API for this session) when desktop notifications are on
 * and allowed, unsubscribed when they are turned off.
 */
@Injectable({ providedIn: 'root' })
export class PushSubscriptionService {
  private readonly http = inject(HttpClient);
  private readonly swPush = inject(SwPush);
  private readonly preferences = inject(NotificationPreferencesService);
  private readonly permissionState = signal<NotificationPermissionState>(currentPermission());

  readonly permission = this.permissionState.asReadonly();
  /** Web Push needs the service worker, which runs in production builds over https or localhost. */
  readonly pushSupported = this.swPush.isEnabled;

  /** Asks the browser for permission (only ever from a user's click), then syncs. */
  async requestPermission(): Promise<NotificationPermissionState> {
    if (typeof Notification === 'undefined') return 'unsupported';
    const result = await Notification.requestPermission();
    this.permissionState.set(result);
    await this.sync();
    return result;
  }

  /** Run after login and whenever the preference changes; never prompts. */
  async sync(): Promise<void> {
    this.permissionState.set(currentPermission());
    if (!this.swPush.isEnabled) return;
    const wanted = this.preferences.preferences().desktop && this.permission() === 'granted';
    try {
      if (wanted) await this.subscribe();
      else await this.unsubscribe();
    } catch (err) {
      // Push is a convenience: the app works without it (blocked, offline, no push service).
      console.warn('push subscription:', err);
    }
  }

  private async subscribe(): Promise<void> {
    const { publicKey } = await firstValueFrom(
      this.http.get<VapidPublicKeyView>('/api/push/vapid-public-key'),
    );
    let subscription: PushSubscription;
    try {
      subscription = await this.swPush.requestSubscription({ serverPublicKey: publicKey });
    } catch (err) {
      // Subscribed earlier under another server key (the VAPID pair changed): start over.
      if (!(err instanceof DOMException) || err.name !== 'InvalidStateError') throw err;
      await this.swPush.unsubscribe();
      subscription = await this.swPush.requestSubscription({ serverPublicKey: publicKey });
    }
    const json = subscription.toJSON();
    if (!json.endpoint || !json.keys?.['p256dh'] || !json.keys['auth']) return;
    const body: PushSubscriptionDto = {
      endpoint: json.endpoint,
      keys: { p256dh: json.keys['p256dh'], auth: json.keys['auth'] },
    };
    await firstValueFrom(this.http.post('/api/push/subscriptions', body));
  }

  private async unsubscribe(): Promise<void> {
    const subscription = await firstValueFrom(this.swPush.subscription);
    if (!subscription) return;
    await firstValueFrom(
      this.http.delete('/api/push/subscriptions', { body: { endpoint: subscription.endpoint } }),
    ).catch(() => undefined);
    await this.swPush.unsubscribe();
  }
}
