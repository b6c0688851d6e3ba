import type { DeviceKeysView } from '@chat/shared-dto';
import { of, throwError } from 'rxjs';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthStore } from '../../core/auth/auth.store';
import { KeysApi } from '../e2e/keys.api';
import { detectKeyChange, seenDevices, warrantsWarning } from './key-change';
import { VerificationStore } from './verification.store';

// The real computation is covered by safety-number.spec (in Node, with WebCrypto).
jest.mock('./safety-number', () => ({
  computeSafetyNumber: jest.fn(
    async (
      me: string,
      mine: { deviceId: number; identityKey: string }[],
      peer: string,
      theirs: { deviceId: number; identityKey: string }[],
    ) => JSON.stringify([me, mine, peer, theirs]),
  ),
}));

const device = (deviceId: number, identityKey: string): DeviceKeysView => ({
  userId: 'bob',
  deviceId,
  registrationId: 1,
  identityKey,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('detectKeyChange', () => {
  it('trusts the first sight of a peer', () => {
    expect(warrantsWarning(detectKeyChange(null, [device(1, 'A')]))).toBe(false);
  });

  it('warns about a new device', () => {
    const change = detectKeyChange(seenDevices([device(1, 'A')]), [device(1, 'A'), device(2, 'B')]);
    expect(change).toEqual({ added: [2], rekeyed: [], removed: [] });
    expect(warrantsWarning(change)).toBe(true);
  });

  it('warns about a new key under the same device id', () => {
    const change = detectKeyChange(seenDevices([device(1, 'A')]), [device(1, 'C')]);
    expect(change?.rekeyed).toEqual([1]);
    expect(warrantsWarning(change)).toBe(true);
  });

  it('says nothing when the devices are the same, or one was removed', () => {
    const seen = seenDevices([device(2, 'B'), device(1, 'A')]);
    expect(warrantsWarning(detectKeyChange(seen, [device(1, 'A'), device(2, 'B')]))).toBe(false);
    const removed = detectKeyChange(seen, [device(1, 'A')]);
    expect(removed?.removed).toEqual([2]);
    expect(warrantsWarning(removed)).toBe(false);
  });
});

describe('VerificationStore', () => {
  let devices: Record<string, DeviceKeysView[]>;
  let store: VerificationStore;

  beforeEach(() => {
    localStorage.clear();
    devices = { me: [{ ...device(1, btoa('m'.repeat(33))), userId: 'me' }], bob: [] };
    TestBed.configureTestingModule({
      providers: [
        { provide: AuthStore, useValue: { userId: signal('me') } },
        {
          provide: KeysApi,
          useValue: {
            devicesOf: jest.fn((userId: string) =>
              devices[userId] ? of(devices[userId]) : throwError(() => new Error('offline')),
            ),
          },
        },
      ],
    });
    store = TestBed.inject(VerificationStore);
  });

  it('shows no warning on first sight, nor when nothing changed', async () => {
    devices['bob'] = [device(1, 'A')];
    await store.checkPeer('bob');
    expect(store.hasWarning('bob')).toBe(false);
    await store.checkPeer('bob');
    expect(store.hasWarning('bob')).toBe(false);
  });

  it('does not take a peer without devices as the first sight', async () => {
    await store.checkPeer('bob');
    devices['bob'] = [device(1, 'A')];
    await store.checkPeer('bob');
    expect(store.hasWarning('bob')).toBe(false);
  });

  it('warns when the peer adds a device, keeps warning until dismissed, and drops "Verified"', async () => {
    devices['bob'] = [device(1, btoa('a'.repeat(33)))];
    const first = await store.loadSafetyNumber('bob');
    expect(first.status).toBe('ready');
    if (first.status !== 'ready') return;
    store.markVerified('bob', first.safetyNumber);
    expect(store.isVerified('bob')).toBe(true);

    devices['bob'] = [...devices['bob'], device(2, btoa('b'.repeat(33)))];
    await store.checkPeer('bob');
    expect(store.hasWarning('bob')).toBe(true);
    expect(store.isVerified('bob')).toBe(false);
    await store.checkPeer('bob');
    expect(store.hasWarning('bob')).toBe(true);

    store.dismissWarning('bob');
    expect(store.hasWarning('bob')).toBe(false);
  });

  it('keeps the marks apart per viewer and peer', async () => {
    devices['bob'] = [device(1, 'A')];
    await store.checkPeer('bob');
    expect(Object.keys(localStorage)).toEqual(['chat.e2e.seen:me:bob']);
  });

  it('says who has no keys yet', async () => {
    expect(await store.loadSafetyNumber('bob')).toEqual({ status: 'no-keys', missing: 'peer' });
  });
});
