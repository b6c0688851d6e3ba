import { Injectable, computed, inject, signal } from '@angular/core';
import type { OwnDeviceView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { generateIdentity, generatePreKeys } from './device-keys';
import type { KeyDirectory } from './e2e-cipher';
import { E2eCipher } from './e2e-cipher';
import { withE2eLock } from './e2e-lock';
import { bytesToBase64 } from './encoding';
import { KeysApi } from './keys.api';
import { E2E_CLIENT_LIMITS } from './limits';
import type { Libsignal } from './signal';
import { loadLibsignal } from './signal';
import type { LocalDevice } from './signal-store';
import { SignalStore } from './signal-store';

export type E2eDeviceStatus = 'idle' | 'preparing' | 'ready' | 'error';

/** A check of this device against the directory failed: try again after this long. */
const RETRY_MS = 30_000;
/** Key generation is CPU work on the main thread: it waits for the chat list to draw first. */
const START_DELAY_MS = 800;

interface Running {
  userId: string;
  store: SignalStore;
  ready: Promise<E2eCipher>;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * This browser as a device of the signed-in user in the key directory. On every start: keys
 * generated and registered when there is no device yet (or the directory dropped it: evicted
 * by an 11th device, or removed from another one), one-time prekeys topped up when they run
 * low. Runs in the background, under the user's Web Lock so two tabs never register twice.
 */
@Injectable({ providedIn: 'root' })
export class E2eDeviceService {
  private readonly keys = inject(KeysApi);
  private readonly state = signal<{
    status: E2eDeviceStatus;
    device: LocalDevice | null;
    error: string | null;
  }>({ status: 'idle', device: null, error: null });
  private running: Running | null = null;

  /** This device (`deviceId`, `createdAt`) once registered, else null. */
  readonly device = computed(() => this.state().device);
  readonly status = computed(() => this.state().status);
  readonly ready = computed(() => this.state().status === 'ready');
  readonly error = computed(() => this.state().error);

  /** Starts preparing this device for `userId` in the background (idempotent). */
  start(userId: string): void {
    if (this.running?.userId === userId) return;
    this.stop();
    const store = new SignalStore(userId);
    let begin: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (begin = resolve));
    const running: Running = {
      userId,
      store,
      timer: setTimeout(begin, START_DELAY_MS),
      ready: gate.then(() => this.prepare(running)),
    };
    running.ready.catch(() => undefined);
    this.running = running;
    // Asked for earlier (an encrypted conversation opened at once): start right away.
    this.kick = begin;
  }

  private kick: () => void = () => undefined;

  stop(): void {
    const running = this.running;
    if (!running) return;
    if (running.timer) clearTimeout(running.timer);
    this.running = null;
    this.kick = () => undefined;
    void running.store.close();
    this.state.set({ status: 'idle', device: null, error: null });
  }

  /** The cipher of this device, once it is registered; rejects when that failed (for now). */
  cipher(): Promise<E2eCipher> {
    const running = this.running;
    if (!running) return Promise.reject(new Error('Not signed in'));
    this.kick();
    return running.ready;
  }

  /**
   * Checks this device against the directory again (after a reconnect, or when the server
   * says our device is not one of ours: removed from another device meanwhile), registering
   * anew or topping up as on start. Resolves true when this browser is now a different device.
   */
  async recheck(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    const before = this.device()?.deviceId ?? null;
    if (running.timer) clearTimeout(running.timer);
    running.timer = null;
    this.kick = () => undefined;
    running.ready = this.prepare(running);
    running.ready.catch(() => undefined);
    try {
      const cipher = await running.ready;
      return cipher.self.deviceId !== before;
    } catch {
      return false;
    }
  }

  private async prepare(running: Running): Promise<E2eCipher> {
    // A recheck of a ready device keeps it usable (and shown as ready) meanwhile.
    if (this.state().status !== 'ready') this.patch(running, { status: 'preparing', error: null });
    try {
      const lib = await loadLibsignal();
      const device = await withE2eLock(`chat-e2e-${running.userId}`, () =>
        this.ensureRegistered(lib, running.store),
      );
      this.patch(running, { status: 'ready', device, error: null });
      const directory: KeyDirectory = {
        devicesOf: (userId) => firstValueFrom(this.keys.devicesOf(userId)),
        claimBundles: (userId, deviceIds) =>
          firstValueFrom(this.keys.claimBundles(userId, deviceIds)),
      };
      return new E2eCipher(
        lib,
        running.store,
        { userId: running.userId, deviceId: device.deviceId },
        directory,
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.patch(running, { status: 'error', error: message });
      // A later call tries again (the server may have been unreachable).
      if (this.running === running) {
        running.timer = setTimeout(() => {
          if (this.running !== running) return;
          running.ready = this.prepare(running);
          running.ready.catch(() => undefined);
        }, RETRY_MS);
      }
      throw err;
    }
  }

  /** Registers this browser when the directory does not list it (with this identity), or tops up. */
  private async ensureRegistered(lib: Libsignal, store: SignalStore): Promise<LocalDevice> {
    const local = await store.getDevice();
    const identity = await store.getIdentityKeyPair();
    let listed: OwnDeviceView | undefined;
    if (local && identity) {
      let own: OwnDeviceView[];
      try {
        own = await firstValueFrom(this.keys.ownDevices());
      } catch (err) {
        // Offline: this device can still read what it cached and decrypt what arrives; the
        // directory is checked again on the next start.
        const status = (err as { status?: number }).status ?? 0;
        if (status === 0 || status >= 500) return local;
        throw err;
      }
      const identityKey = bytesToBase64(identity.pubKey);
      listed = own.find(
        (device) => device.deviceId === local.deviceId && device.identityKey === identityKey,
      );
    }
    if (!local || !listed) {
      // No device yet, or the directory dropped it: a new identity (the old sessions are
      // useless to everyone else now).
      const registration = await generateIdentity(lib, store);
      const view = await firstValueFrom(this.keys.registerDevice(registration));
      const device = { deviceId: view.deviceId, createdAt: view.createdAt };
      await store.setDevice(device);
      return device;
    }
    if (listed.preKeysLeft < E2E_CLIENT_LIMITS.preKeysLowWatermark) {
      const preKeys = await generatePreKeys(lib, store);
      await firstValueFrom(this.keys.uploadPreKeys(local.deviceId, preKeys));
    }
    return local;
  }

  private patch(
    running: Running,
    change: Partial<{ status: E2eDeviceStatus; device: LocalDevice | null; error: string | null }>,
  ): void {
    if (this.running === running) this.state.update((state) => ({ ...state, ...change }));
  }
}
