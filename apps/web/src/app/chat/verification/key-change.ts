import type { DeviceKeysView } from '@chat/shared-dto';

/** A device of the peer as this viewer last saw it. */
export interface SeenDevice {
  deviceId: number;
  identityKey: string;
}

export interface KeyChange {
  /** Devices that were not there last time. */
  added: number[];
  /** Devices whose identity key is different (a reinstall under the same id). */
  rekeyed: number[];
  /** Devices gone since (not a warning on its own: nobody new can read). */
  removed: number[];
}

export function seenDevices(devices: readonly DeviceKeysView[]): SeenDevice[] {
  return [...devices]
    .sort((a, b) => a.deviceId - b.deviceId)
    .map(({ deviceId, identityKey }) => ({ deviceId, identityKey }));
}

/**
 * What changed in a peer's devices since they were last seen. `previous === null` is the first
 * sight (trust on first use): no change to warn about.
 */
export function detectKeyChange(
  previous: readonly SeenDevice[] | null,
  current: readonly Pick<DeviceKeysView, 'deviceId' | 'identityKey'>[],
): KeyChange | null {
  if (previous === null) return null;
  const before = new Map(previous.map((device) => [device.deviceId, device.identityKey]));
  const now = new Set(current.map((device) => device.deviceId));
  const added: number[] = [];
  const rekeyed: number[] = [];
  for (const device of current) {
    const key = before.get(device.deviceId);
    if (key === undefined) added.push(device.deviceId);
    else if (key !== device.identityKey) rekeyed.push(device.deviceId);
  }
  const removed = previous.map((device) => device.deviceId).filter((id) => !now.has(id));
  return { added, rekeyed, removed };
}

/** Whether a change should warn: someone new (a device or a key) can read the conversation. */
export function warrantsWarning(change: KeyChange | null): boolean {
  return !!change && (change.added.length > 0 || change.rekeyed.length > 0);
}
