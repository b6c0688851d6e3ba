import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import type { DeviceKeysView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { parseHttpError } from '../../core/http/http-error';
import { KeysApi } from '../e2e/keys.api';
import type { SeenDevice } from './key-change';
import { detectKeyChange, seenDevices, warrantsWarning } from './key-change';
import { computeSafetyNumber } from './safety-number';

/** The safety number with a peer as this tab last computed it. */
export type SafetyState =
  | { status: 'loading' }
  | { status: 'ready'; safetyNumber: string }
  /** Someone has no device with keys yet: there is nothing to compare. */
  | { status: 'no-keys'; missing: 'self' | 'peer' }
  | { status: 'error'; message: string };

const PREFIX = 'chat.e2e';

/**
 * Per viewer and peer, in localStorage: the safety number the viewer marked verified, the peer's
 * devices (id and identity key) last seen, and whether a key change is waiting to be looked at.
 * Only public keys and numbers derived from them are stored.
 */
@Injectable({ providedIn: 'root' })
export class VerificationStore {
  private readonly keys = inject(KeysApi);
  private readonly viewerId = inject(AuthStore).userId;
  /** Bumped on every write to storage, so readers of it recompute. */
  private readonly version = signal(0);
  private readonly numbers = signal<ReadonlyMap<string, SafetyState>>(new Map());

  /** The computed safety number with `peerId` (undefined before the first computation). */
  safety(peerId: string): SafetyState | undefined {
    return this.numbers().get(peerId);
  }

  /** The viewer marked the current safety number verified (and it has not changed since). */
  isVerified(peerId: string): boolean {
    const state = this.safety(peerId);
    const stored = this.read('verified', peerId);
    return state?.status === 'ready' && stored !== null && stored === state.safetyNumber;
  }

  /** The peer added a device or a key changed since the viewer last saw them. */
  hasWarning(peerId: string): boolean {
    return this.read('warning', peerId) === '1';
  }

  /** Fetches both users' devices and computes the safety number (and notes key changes). */
  async loadSafetyNumber(peerId: string): Promise<SafetyState> {
    const selfId = this.viewerId();
    if (!selfId) return this.setSafety(peerId, { status: 'error', message: 'Not signed in.' });
    if (this.safety(peerId)?.status !== 'ready') this.setSafety(peerId, { status: 'loading' });
    try {
      const [mine, theirs] = await Promise.all([
        firstValueFrom(this.keys.devicesOf(selfId)),
        firstValueFrom(this.keys.devicesOf(peerId)),
      ]);
      this.observe(peerId, theirs);
      if (!mine.length) return this.setSafety(peerId, { status: 'no-keys', missing: 'self' });
      if (!theirs.length) return this.setSafety(peerId, { status: 'no-keys', missing: 'peer' });
      const safetyNumber = await computeSafetyNumber(selfId, mine, peerId, theirs);
      return this.setSafety(peerId, { status: 'ready', safetyNumber });
    } catch (err) {
      const message =
        err instanceof HttpErrorResponse || !(err instanceof Error)
          ? parseHttpError(err).message
          : err.message;
      return this.setSafety(peerId, { status: 'error', message });
    }
  }

  /** Fetches the peer's devices and compares them with the ones last seen. */
  async checkPeer(peerId: string): Promise<void> {
    try {
      this.observe(peerId, await firstValueFrom(this.keys.devicesOf(peerId)));
    } catch {
      // Offline or refused: checked again on the next opening.
    }
  }

  /**
   * Remembers the peer's devices. The first sight is trusted (no warning); later, a new device or
   * a new key raises the warning and drops the "Verified" mark.
   */
  observe(peerId: string, devices: readonly DeviceKeysView[]): void {
    const previous = this.readSeen(peerId);
    // Nothing to trust yet: the first device the peer registers is the first sight.
    if (previous === null && !devices.length) return;
    const change = detectKeyChange(previous, devices);
    const seen = seenDevices(devices);
    if (warrantsWarning(change)) {
      this.write('warning', peerId, '1');
      this.write('verified', peerId, null);
    }
    if (JSON.stringify(previous) !== JSON.stringify(seen))
      this.write('seen', peerId, JSON.stringify(seen));
  }

  markVerified(peerId: string, safetyNumber: string): void {
    this.write('verified', peerId, safetyNumber);
    this.write('warning', peerId, null);
  }

  clearVerified(peerId: string): void {
    this.write('verified', peerId, null);
  }

  dismissWarning(peerId: string): void {
    this.write('warning', peerId, null);
  }

  private setSafety(peerId: string, state: SafetyState): SafetyState {
    this.numbers.update((map) => new Map(map).set(peerId, state));
    return state;
  }

  private readSeen(peerId: string): SeenDevice[] | null {
    const raw = this.read('seen', peerId);
    if (raw === null) return null;
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as SeenDevice[]) : null;
    } catch {
      return null;
    }
  }

  private key(kind: string, peerId: string): string | null {
    const viewer = this.viewerId();
    return viewer ? `${PREFIX}.${kind}:${viewer}:${peerId}` : null;
  }

  private read(kind: 'verified' | 'seen' | 'warning', peerId: string): string | null {
    this.version();
    const key = this.key(kind, peerId);
    if (!key) return null;
    try {
      return globalThis.localStorage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private write(kind: 'verified' | 'seen' | 'warning', peerId: string, value: string | null): void {
    const key = this.key(kind, peerId);
    if (!key) return;
    try {
      if (value === null) globalThis.localStorage?.removeItem(key);
      else globalThis.localStorage?.setItem(key, value);
    } catch {
      // Storage full or blocked: the marks last as long as the tab.
    }
    this.version.update((v) => v + 1);
  }
}
