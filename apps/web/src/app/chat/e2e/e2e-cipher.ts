import type {
  DeviceKeysView,
  EncryptedEnvelope,
  EncryptedPayload,
  EnvelopeType,
  PreKeyBundleView,
} from '@chat/shared-dto';
import type { Libsignal } from './signal';
import {
  base64ToBinary,
  base64ToBuffer,
  binaryToBase64,
  sha256Hex,
  utf8Decode,
  utf8Encode,
} from './encoding';
import { withE2eLock } from './e2e-lock';
import type { SignalStore } from './signal-store';
import { StagedSignalStore, sameKey } from './signal-store';

/** What the cipher needs of the key directory (`KeysApi`, promisified; a fake in tests). */
export interface KeyDirectory {
  devicesOf(userId: string): Promise<DeviceKeysView[]>;
  claimBundles(userId: string, deviceIds: number[]): Promise<PreKeyBundleView[]>;
}

/** This browser as a Signal address. */
export interface LocalIdentity {
  userId: string;
  deviceId: number;
}

export type DecryptResult<T> =
  | { state: 'ok'; content: T }
  /** No envelope for this device: the message was sent before it existed. */
  | { state: 'no-key' }
  /** Bad MAC, tampering, a replay, an unreadable plaintext. */
  | { state: 'failed'; reason: string };

/**
 * Where a plaintext belongs, so a ciphertext replayed under another message is refused instead
 * of showing the old text again. The first is the one a plaintext is stored under; the others
 * are accepted on lookup (an own message is cached by clientId before its id exists).
 */
export type PlaintextContext = readonly [string, ...string[]];

/** The directory's device lists moved on (a device was added or removed): refetch, re-encrypt. */
export class DeviceListChanged extends Error {
  constructor(message = 'The devices of this conversation changed') {
    super(message);
    this.name = 'DeviceListChanged';
  }
}

/** What a message waiting for the other person's first device says (the outbox keys on it). */
export const NO_RECIPIENT_DEVICE =
  "The other person hasn't set up encryption on a device yet: this goes out once they sign in";

/**
 * Someone in the conversation has no device with keys yet (never signed in since encryption
 * exists, or their browser is still making its keys): nothing to encrypt for.
 */
export class NoRecipientDevice extends Error {
  constructor(readonly userId: string) {
    super(NO_RECIPIENT_DEVICE);
    this.name = 'NoRecipientDevice';
  }
}

const DEVICE_LIST_TTL_MS = 30_000;

/**
 * The Signal protocol for one signed-in device: encrypts a JSON plaintext for every device of a
 * conversation's members but this one, and decrypts the envelope addressed to this one. Every
 * libsignal operation runs under the user's Web Lock (see `withE2eLock`), and every plaintext
 * is cached, because a ciphertext can be decrypted only once.
 */
export class E2eCipher {
  private readonly devices = new Map<string, { at: number; devices: DeviceKeysView[] }>();
  readonly lockName: string;

  constructor(
    private readonly lib: Libsignal,
    private readonly store: SignalStore,
    readonly self: LocalIdentity,
    private readonly directory: KeyDirectory,
    private readonly now: () => number = Date.now,
  ) {
    this.lockName = `chat-e2e-${self.userId}`;
  }

  /** Forgets cached device lists (after a CONFLICT: the server knows other devices). */
  invalidateDevices(userIds?: readonly string[]): void {
    if (!userIds) this.devices.clear();
    else for (const id of userIds) this.devices.delete(id);
  }

  /** Every device the server has for these users, from a short-lived cache. */
  async devicesOf(userIds: readonly string[]): Promise<DeviceKeysView[]> {
    const lists = await Promise.all(
      [...new Set(userIds)].map(async (userId) => {
        const cached = this.devices.get(userId);
        if (cached && this.now() - cached.at < DEVICE_LIST_TTL_MS) return cached.devices;
        const devices = await this.directory.devicesOf(userId);
        this.devices.set(userId, { at: this.now(), devices });
        return devices;
      }),
    );
    return lists.flat();
  }

  /**
   * Encrypts `plaintext` (as UTF-8 JSON) for every device of `memberIds` except this one,
   * starting sessions (claiming prekey bundles) with devices it has none with yet.
   */
  async encrypt(memberIds: readonly string[], plaintext: object): Promise<EncryptedPayload> {
    let devices = await this.devicesOf(memberIds);
    const without = () =>
      memberIds.filter((id) => id !== this.self.userId && !devices.some((d) => d.userId === id));
    if (without().length) {
      // Maybe they signed in since the list was fetched.
      this.invalidateDevices(without());
      devices = await this.devicesOf(memberIds);
      const missing = without();
      if (missing.length) throw new NoRecipientDevice(missing[0]);
    }
    const targets = devices.filter(
      (device) => !(device.userId === this.self.userId && device.deviceId === this.self.deviceId),
    );
    const bytes = utf8Encode(JSON.stringify(plaintext));
    return withE2eLock(this.lockName, async () => {
      await this.ensureSessions(targets);
      const envelopes: EncryptedEnvelope[] = [];
      for (const device of targets) {
        const address = new this.lib.SignalProtocolAddress(device.userId, device.deviceId);
        const out = await new this.lib.SessionCipher(this.store, address).encrypt(bytes);
        if (!out.body || (out.type !== 1 && out.type !== 3))
          throw new Error(`libsignal produced an unexpected message type ${out.type}`);
        envelopes.push({
          userId: device.userId,
          deviceId: device.deviceId,
          type: out.type as EnvelopeType,
          body: binaryToBase64(out.body),
        });
      }
      return { senderDeviceId: this.self.deviceId, envelopes };
    });
  }

  /**
   * Keeps the plaintext of something this device sent: it has no envelope for itself, so this
   * copy is how it shows its own messages after a reload.
   */
  async rememberOwn(
    payload: EncryptedPayload,
    context: PlaintextContext,
    content: unknown,
  ): Promise<void> {
    const key = await ownKey(payload);
    if (key) await this.store.putPlaintext(key, context[0], content);
  }

  /**
   * The plaintext of a message or reaction set sent by `senderId`. Never throws: anything that
   * goes wrong is a `failed` result for the UI to show.
   */
  async decrypt<T>(
    senderId: string,
    payload: EncryptedPayload,
    context: PlaintextContext,
    validate: (value: unknown) => value is T,
  ): Promise<DecryptResult<T>> {
    try {
      const mine = payload.envelopes.find(
        (envelope) =>
          envelope.userId === this.self.userId && envelope.deviceId === this.self.deviceId,
      );
      if (!mine) {
        const own = senderId === this.self.userId && payload.senderDeviceId === this.self.deviceId;
        if (!own) return { state: 'no-key' };
        const key = await ownKey(payload);
        const cached = key ? await this.store.getPlaintext(key) : undefined;
        if (!cached) return { state: 'failed', reason: 'This device did not keep its copy' };
        return this.accept(cached.context, cached.value, context, validate);
      }
      const key = `in:${await sha256Hex(mine.body)}`;
      return await withE2eLock(this.lockName, async () => {
        // Looked up under the lock: another tab may have just decrypted it.
        const cached = await this.store.getPlaintext(key);
        if (cached) return this.accept(cached.context, cached.value, context, validate);
        const address = new this.lib.SignalProtocolAddress(senderId, payload.senderDeviceId);
        // libsignal's writes are staged and committed with the plaintext in one transaction:
        // a message key is spent only if its text is kept (and a failure spends nothing).
        const staged = new StagedSignalStore(this.store);
        const cipher = new this.lib.SessionCipher(staged, address);
        const binary = base64ToBinary(mine.body);
        const plain =
          mine.type === 3
            ? await cipher.decryptPreKeyWhisperMessage(binary, 'binary')
            : await cipher.decryptWhisperMessage(binary, 'binary');
        const value: unknown = JSON.parse(utf8Decode(plain));
        if (!validate(value)) return { state: 'failed', reason: 'Unreadable content' };
        await this.store.commitDecryption(staged.changes, {
          key,
          context: context[0],
          value,
          at: new Date().toISOString(),
        });
        return { state: 'ok', content: value };
      });
    } catch (err) {
      return { state: 'failed', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  private accept<T>(
    stored: string,
    value: unknown,
    context: PlaintextContext,
    validate: (value: unknown) => value is T,
  ): DecryptResult<T> {
    // The same ciphertext under another message: a replay by whoever stored it.
    if (!context.includes(stored)) return { state: 'failed', reason: 'Replayed message' };
    if (!validate(value)) return { state: 'failed', reason: 'Unreadable content' };
    return { state: 'ok', content: value };
  }

  /** Starts a session with every device that has none (or whose identity key changed). */
  private async ensureSessions(devices: readonly DeviceKeysView[]): Promise<void> {
    const missing = new Map<string, DeviceKeysView[]>();
    for (const device of devices) {
      const address = new this.lib.SignalProtocolAddress(device.userId, device.deviceId);
      const known = await this.store.loadIdentity(address.toString());
      if (known && !sameKey(known.publicKey, base64ToBuffer(device.identityKey))) {
        // The directory has a new identity under this address: the old session is useless.
        await this.store.removeSession(address.toString());
      }
      const open = await new this.lib.SessionCipher(this.store, address).hasOpenSession();
      if (!open) missing.set(device.userId, [...(missing.get(device.userId) ?? []), device]);
    }
    for (const [userId, wanted] of missing) {
      const bundles = await this.directory.claimBundles(
        userId,
        wanted.map((device) => device.deviceId),
      );
      for (const device of wanted) {
        const bundle = bundles.find((b) => b.deviceId === device.deviceId);
        if (!bundle) throw new DeviceListChanged();
        const address = new this.lib.SignalProtocolAddress(userId, device.deviceId);
        await new this.lib.SessionBuilder(this.store, address).processPreKey({
          identityKey: base64ToBuffer(bundle.identityKey),
          registrationId: bundle.registrationId,
          signedPreKey: {
            keyId: bundle.signedPreKey.keyId,
            publicKey: base64ToBuffer(bundle.signedPreKey.publicKey),
            signature: base64ToBuffer(bundle.signedPreKey.signature),
          },
          preKey: bundle.preKey
            ? { keyId: bundle.preKey.keyId, publicKey: base64ToBuffer(bundle.preKey.publicKey) }
            : undefined,
        });
      }
    }
  }
}

/** The cache key of an own payload: no envelope is ours, so the first one names it. */
async function ownKey(payload: EncryptedPayload): Promise<string | null> {
  const first = payload.envelopes[0];
  return first ? `own:${await sha256Hex(first.body)}` : null;
}
