import type { DBSchema, IDBPDatabase } from 'idb';
import { openDB } from 'idb';
import type {
  Direction,
  KeyPairType,
  SessionRecordType,
  StorageType,
} from '@privacyresearch/libsignal-protocol-typescript';

/** This browser's device as the key directory knows it. */
export interface LocalDevice {
  deviceId: number;
  createdAt: string;
}

/** A remote device's identity key as first seen, and when it last changed. */
export interface KnownIdentity {
  /** `userId.deviceId`, libsignal's encoded address. */
  address: string;
  publicKey: ArrayBuffer;
  firstSeenAt: string;
  changedAt: string | null;
}

/** A decrypted message or reaction set, kept because a ciphertext can be decrypted only once. */
export interface CachedPlaintext {
  key: string;
  /** What the plaintext belongs to (`m:<messageId>`, `r:<messageId>:<userId>`, or a clientId). */
  context: string;
  value: unknown;
  at: string;
}

interface E2eDb extends DBSchema {
  /** Singletons: identity key pair, registration id, this device, prekey id counters. */
  meta: { key: string; value: unknown };
  preKeys: { key: number; value: KeyPairType };
  signedPreKeys: { key: number; value: KeyPairType };
  sessions: { key: string; value: SessionRecordType };
  identities: { key: string; value: KnownIdentity };
  plaintexts: { key: string; value: CachedPlaintext };
}

const VERSION = 1;

export function e2eDatabaseName(userId: string): string {
  return `chat-e2e-${userId}`;
}

function isKeyPair(value: unknown): value is KeyPairType {
  if (typeof value !== 'object' || value === null) return false;
  const pair = value as Partial<KeyPairType>;
  return isArrayBuffer(pair.pubKey) && isArrayBuffer(pair.privKey);
}

/** By tag, not `instanceof`: a buffer read back from IndexedDB may come from another realm. */
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** Two keys hold the same bytes. */
export function sameKey(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * libsignal's storage, in IndexedDB: one database per signed-in user, so two accounts used in
 * the same browser never share keys or sessions. The private keys are written here and read
 * only by libsignal; nothing else in the app reads them.
 *
 * Callers serialise libsignal operations with `withE2eLock` (a session is read, advanced and
 * written back by every encrypt and decrypt).
 */
export class SignalStore implements StorageType {
  private db: Promise<IDBPDatabase<E2eDb>> | null = null;

  constructor(readonly userId: string) {}

  private open(): Promise<IDBPDatabase<E2eDb>> {
    this.db ??= openDB<E2eDb>(e2eDatabaseName(this.userId), VERSION, {
      upgrade(db) {
        db.createObjectStore('meta');
        db.createObjectStore('preKeys');
        db.createObjectStore('signedPreKeys');
        db.createObjectStore('sessions');
        db.createObjectStore('identities', { keyPath: 'address' });
        db.createObjectStore('plaintexts', { keyPath: 'key' });
      },
    });
    return this.db;
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) (await db).close();
  }

  // --- this device --------------------------------------------------------------------------

  async getIdentityKeyPair(): Promise<KeyPairType | undefined> {
    const value = await (await this.open()).get('meta', 'identityKeyPair');
    return isKeyPair(value) ? value : undefined;
  }

  async getLocalRegistrationId(): Promise<number | undefined> {
    const value = await (await this.open()).get('meta', 'registrationId');
    return typeof value === 'number' ? value : undefined;
  }

  async getDevice(): Promise<LocalDevice | null> {
    const value = await (await this.open()).get('meta', 'device');
    if (typeof value !== 'object' || value === null) return null;
    const device = value as Partial<LocalDevice>;
    return typeof device.deviceId === 'number' && typeof device.createdAt === 'string'
      ? { deviceId: device.deviceId, createdAt: device.createdAt }
      : null;
  }

  async setDevice(device: LocalDevice): Promise<void> {
    await (await this.open()).put('meta', device, 'device');
  }

  /** The highest one-time prekey id handed out so far (new ones continue after it). */
  async lastPreKeyId(): Promise<number> {
    const value = await (await this.open()).get('meta', 'lastPreKeyId');
    return typeof value === 'number' ? value : 0;
  }

  /**
   * A fresh identity: drops every key, session and known identity of the previous one (its
   * directory entry is gone), keeps the plaintext cache (what was read stays readable).
   */
  async resetIdentity(identity: {
    identityKeyPair: KeyPairType;
    registrationId: number;
    signedPreKey: { keyId: number; keyPair: KeyPairType };
  }): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(
      ['meta', 'preKeys', 'signedPreKeys', 'sessions', 'identities'],
      'readwrite',
    );
    await Promise.all([
      tx.objectStore('meta').clear(),
      tx.objectStore('preKeys').clear(),
      tx.objectStore('signedPreKeys').clear(),
      tx.objectStore('sessions').clear(),
      tx.objectStore('identities').clear(),
    ]);
    await Promise.all([
      tx.objectStore('meta').put(identity.identityKeyPair, 'identityKeyPair'),
      tx.objectStore('meta').put(identity.registrationId, 'registrationId'),
      tx
        .objectStore('signedPreKeys')
        .put(identity.signedPreKey.keyPair, identity.signedPreKey.keyId),
    ]);
    await tx.done;
  }

  /** Stores a batch of one-time prekeys and moves the id counter past them, in one transaction. */
  async addPreKeys(preKeys: readonly { keyId: number; keyPair: KeyPairType }[]): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['preKeys', 'meta'], 'readwrite');
    const last = preKeys.reduce((max, key) => Math.max(max, key.keyId), 0);
    const current = await tx.objectStore('meta').get('lastPreKeyId');
    await Promise.all([
      ...preKeys.map((key) => tx.objectStore('preKeys').put(key.keyPair, key.keyId)),
      tx
        .objectStore('meta')
        .put(Math.max(last, typeof current === 'number' ? current : 0), 'lastPreKeyId'),
    ]);
    await tx.done;
  }

  // --- libsignal's StorageType --------------------------------------------------------------

  /**
   * Trust on first use, never blocking: a changed identity key is accepted (so messages keep
   * flowing) and recorded by `saveIdentity`, for the UI to warn about and to verify with
   * safety numbers. libsignal passes only the user id here, not the device.
   */
  async isTrustedIdentity(
    _identifier: string,
    _identityKey: ArrayBuffer,
    _direction: Direction,
  ): Promise<boolean> {
    return true;
  }

  /** Returns true when the address had another key before (libsignal's contract). */
  async saveIdentity(encodedAddress: string, publicKey: ArrayBuffer): Promise<boolean> {
    const db = await this.open();
    const now = new Date().toISOString();
    const known = await db.get('identities', encodedAddress);
    if (known && sameKey(known.publicKey, publicKey)) return false;
    await db.put('identities', {
      address: encodedAddress,
      publicKey,
      firstSeenAt: known?.firstSeenAt ?? now,
      changedAt: known ? now : null,
    });
    return Boolean(known);
  }

  async loadIdentity(encodedAddress: string): Promise<KnownIdentity | undefined> {
    return (await this.open()).get('identities', encodedAddress);
  }

  async knownIdentities(): Promise<KnownIdentity[]> {
    return (await this.open()).getAll('identities');
  }

  async loadPreKey(keyId: string | number): Promise<KeyPairType | undefined> {
    const value = await (await this.open()).get('preKeys', Number(keyId));
    return isKeyPair(value) ? value : undefined;
  }

  async storePreKey(keyId: string | number, keyPair: KeyPairType): Promise<void> {
    await (await this.open()).put('preKeys', keyPair, Number(keyId));
  }

  async removePreKey(keyId: string | number): Promise<void> {
    await (await this.open()).delete('preKeys', Number(keyId));
  }

  async loadSignedPreKey(keyId: string | number): Promise<KeyPairType | undefined> {
    const value = await (await this.open()).get('signedPreKeys', Number(keyId));
    return isKeyPair(value) ? value : undefined;
  }

  async storeSignedPreKey(keyId: string | number, keyPair: KeyPairType): Promise<void> {
    await (await this.open()).put('signedPreKeys', keyPair, Number(keyId));
  }

  async removeSignedPreKey(keyId: string | number): Promise<void> {
    await (await this.open()).delete('signedPreKeys', Number(keyId));
  }

  async loadSession(encodedAddress: string): Promise<SessionRecordType | undefined> {
    return (await this.open()).get('sessions', encodedAddress);
  }

  async storeSession(encodedAddress: string, record: SessionRecordType): Promise<void> {
    await (await this.open()).put('sessions', record, encodedAddress);
  }

  async removeSession(encodedAddress: string): Promise<void> {
    await (await this.open()).delete('sessions', encodedAddress);
  }

  /**
   * Writes what one decryption changed (sessions, a spent one-time prekey, a remote identity)
   * together with its plaintext, in one transaction: either the ratchet moved on and the text
   * is kept, or neither happened and the message can still be decrypted later.
   */
  async commitDecryption(changes: StagedChanges, plaintext: CachedPlaintext): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(['sessions', 'preKeys', 'identities', 'plaintexts'], 'readwrite');
    await Promise.all([
      ...[...changes.sessions].map(([address, record]) =>
        tx.objectStore('sessions').put(record, address),
      ),
      ...[...changes.removedPreKeys].map((keyId) => tx.objectStore('preKeys').delete(keyId)),
      ...[...changes.identities.values()].map((identity) =>
        tx.objectStore('identities').put(identity),
      ),
      tx.objectStore('plaintexts').put(plaintext),
    ]);
    await tx.done;
  }

  // --- plaintext cache ----------------------------------------------------------------------

  async getPlaintext(key: string): Promise<CachedPlaintext | undefined> {
    return (await this.open()).get('plaintexts', key);
  }

  async putPlaintext(key: string, context: string, value: unknown): Promise<void> {
    await (
      await this.open()
    ).put('plaintexts', {
      key,
      context,
      value,
      at: new Date().toISOString(),
    });
  }
}

/** What a decryption would write, held back until its plaintext is known. */
export interface StagedChanges {
  sessions: Map<string, SessionRecordType>;
  removedPreKeys: Set<number>;
  identities: Map<string, KnownIdentity>;
}

/**
 * The store as one decryption sees it: reads fall through to IndexedDB, writes are staged in
 * memory (`changes`) for `SignalStore.commitDecryption`. A decryption that fails (bad MAC,
 * tampering) thus changes nothing.
 */
export class StagedSignalStore implements StorageType {
  readonly changes: StagedChanges = {
    sessions: new Map(),
    removedPreKeys: new Set(),
    identities: new Map(),
  };

  constructor(private readonly store: SignalStore) {}

  getIdentityKeyPair(): Promise<KeyPairType | undefined> {
    return this.store.getIdentityKeyPair();
  }

  getLocalRegistrationId(): Promise<number | undefined> {
    return this.store.getLocalRegistrationId();
  }

  isTrustedIdentity(identifier: string, identityKey: ArrayBuffer, direction: Direction) {
    return this.store.isTrustedIdentity(identifier, identityKey, direction);
  }

  async saveIdentity(encodedAddress: string, publicKey: ArrayBuffer): Promise<boolean> {
    const known =
      this.changes.identities.get(encodedAddress) ??
      (await this.store.loadIdentity(encodedAddress));
    if (known && sameKey(known.publicKey, publicKey)) return false;
    const now = new Date().toISOString();
    this.changes.identities.set(encodedAddress, {
      address: encodedAddress,
      publicKey,
      firstSeenAt: known?.firstSeenAt ?? now,
      changedAt: known ? now : null,
    });
    return Boolean(known);
  }

  async loadPreKey(keyId: string | number): Promise<KeyPairType | undefined> {
    if (this.changes.removedPreKeys.has(Number(keyId))) return undefined;
    return this.store.loadPreKey(keyId);
  }

  async storePreKey(): Promise<void> {
    throw new Error('A decryption does not create prekeys');
  }

  async removePreKey(keyId: string | number): Promise<void> {
    this.changes.removedPreKeys.add(Number(keyId));
  }

  async loadSession(encodedAddress: string): Promise<SessionRecordType | undefined> {
    return this.changes.sessions.get(encodedAddress) ?? this.store.loadSession(encodedAddress);
  }

  async storeSession(encodedAddress: string, record: SessionRecordType): Promise<void> {
    this.changes.sessions.set(encodedAddress, record);
  }

  loadSignedPreKey(keyId: string | number): Promise<KeyPairType | undefined> {
    return this.store.loadSignedPreKey(keyId);
  }

  async storeSignedPreKey(): Promise<void> {
    throw new Error('A decryption does not create signed prekeys');
  }

  async removeSignedPreKey(): Promise<void> {
    throw new Error('A decryption does not remove signed prekeys');
  }
}
