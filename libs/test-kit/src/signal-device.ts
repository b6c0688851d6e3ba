import type {
  DeviceKeysView,
  EncryptedPayload,
  MessageView,
  OwnDeviceView,
  PreKeyBundleView,
} from '@chat/shared-dto';
import {
  KeyHelper,
  SessionBuilder,
  SessionCipher,
  SignalProtocolAddress,
  type Direction,
  type KeyPairType,
  type StorageType,
} from '@privacyresearch/libsignal-protocol-typescript';
import { expectStatus, RestClient } from './rest';

const PREKEYS = 20;

const toBase64 = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('base64');
const fromBase64 = (text: string): ArrayBuffer => {
  const bytes = Buffer.from(text, 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
};

/** libsignal's storage, in memory: a test device's private state, which never leaves it. */
class MemoryStore implements StorageType {
  private readonly values = new Map<string, unknown>();

  constructor(
    private readonly identity: KeyPairType,
    private readonly registrationId: number,
  ) {}

  async getIdentityKeyPair() {
    return this.identity;
  }
  async getLocalRegistrationId() {
    return this.registrationId;
  }
  // Trust on first use; the tests of key changes look at the directory, not at this store.
  async isTrustedIdentity(_identifier: string, _key: ArrayBuffer, _direction: Direction) {
    return true;
  }
  async saveIdentity(address: string, key: ArrayBuffer) {
    const had = this.values.has(`identity:${address}`);
    this.values.set(`identity:${address}`, key);
    return had;
  }
  async loadPreKey(id: string | number) {
    return this.values.get(`prekey:${id}`) as KeyPairType | undefined;
  }
  async storePreKey(id: string | number, pair: KeyPairType) {
    this.values.set(`prekey:${id}`, pair);
  }
  async removePreKey(id: string | number) {
    this.values.delete(`prekey:${id}`);
  }
  async storeSession(address: string, record: string) {
    this.values.set(`session:${address}`, record);
  }
  async loadSession(address: string) {
    return this.values.get(`session:${address}`) as string | undefined;
  }
  async loadSignedPreKey(id: string | number) {
    return this.values.get(`signed:${id}`) as KeyPairType | undefined;
  }
  async storeSignedPreKey(id: string | number, pair: KeyPairType) {
    this.values.set(`signed:${id}`, pair);
  }
  async removeSignedPreKey(id: string | number) {
    this.values.delete(`signed:${id}`);
  }
}

/**
 * One device of a user, as a real client would be: keys generated here, public ones
 * registered in the server's directory, messages encrypted for every device of a
 * conversation's members and decrypted from this device's envelope.
 */
export class SignalDevice {
  private constructor(
    private readonly rest: RestClient,
    readonly userId: string,
    readonly deviceId: number,
    private readonly store: MemoryStore,
  ) {}

  static async register(
    url: string,
    user: { token: string; user: { id: string } },
  ): Promise<SignalDevice> {
    const identity = await KeyHelper.generateIdentityKeyPair();
    const registrationId = KeyHelper.generateRegistrationId();
    const store = new MemoryStore(identity, registrationId);
    const signed = await KeyHelper.generateSignedPreKey(identity, 1);
    await store.storeSignedPreKey(1, signed.keyPair);
    const preKeys = [];
    for (let keyId = 1; keyId <= PREKEYS; keyId += 1) {
      const preKey = await KeyHelper.generatePreKey(keyId);
      await store.storePreKey(keyId, preKey.keyPair);
      preKeys.push({ keyId, publicKey: toBase64(preKey.keyPair.pubKey) });
    }
    const rest = new RestClient(url, user.token);
    const device = expectStatus(
      await rest.request<OwnDeviceView>('POST', '/api/keys/devices', {
        body: {
          registrationId,
          identityKey: toBase64(identity.pubKey),
          signedPreKey: {
            keyId: 1,
            publicKey: toBase64(signed.keyPair.pubKey),
            signature: toBase64(signed.signature),
          },
          preKeys,
        },
      }),
      201,
    );
    return new SignalDevice(rest, user.user.id, device.deviceId, store);
  }

  /** Envelopes of `plaintext` (JSON) for every device of these users but this one. */
  async encrypt(userIds: string[], plaintext: unknown): Promise<EncryptedPayload> {
    const bytes = new TextEncoder().encode(JSON.stringify(plaintext));
    const envelopes = [];
    for (const userId of userIds) {
      const devices = (await this.get(`/api/keys/users/${userId}/devices`)) as DeviceKeysView[];
      const targets = devices.filter(
        (d) => !(d.userId === this.userId && d.deviceId === this.deviceId),
      );
      const fresh = [];
      for (const d of targets) {
        const cipher = new SessionCipher(this.store, new SignalProtocolAddress(userId, d.deviceId));
        if (!(await cipher.hasOpenSession())) fresh.push(d.deviceId);
      }
      if (fresh.length > 0) {
        const bundles = (await this.post(`/api/keys/users/${userId}/bundles`, {
          deviceIds: fresh,
        })) as PreKeyBundleView[];
        for (const bundle of bundles) await this.startSession(bundle);
      }
      for (const d of targets) {
        const cipher = new SessionCipher(this.store, new SignalProtocolAddress(userId, d.deviceId));
        const sealed = await cipher.encrypt(bytes.buffer.slice(0) as ArrayBuffer);
        envelopes.push({
          userId,
          deviceId: d.deviceId,
          type: sealed.type as 1 | 3,
          body: Buffer.from(sealed.body!, 'binary').toString('base64'),
        });
      }
    }
    return { senderDeviceId: this.deviceId, envelopes };
  }

  /** The plaintext of this device's envelope of a message (throws on a bad or missing one). */
  async decrypt(message: Pick<MessageView, 'senderId' | 'encrypted'>): Promise<unknown> {
    const payload = message.encrypted;
    if (!payload) throw new Error('not an encrypted message');
    const mine = payload.envelopes.find(
      (e) => e.userId === this.userId && e.deviceId === this.deviceId,
    );
    if (!mine) throw new Error('no envelope for this device');
    const cipher = new SessionCipher(
      this.store,
      new SignalProtocolAddress(message.senderId, payload.senderDeviceId),
    );
    const body = Buffer.from(mine.body, 'base64').toString('binary');
    const plain =
      mine.type === 3
        ? await cipher.decryptPreKeyWhisperMessage(body, 'binary')
        : await cipher.decryptWhisperMessage(body, 'binary');
    return JSON.parse(new TextDecoder().decode(plain));
  }

  private async startSession(bundle: PreKeyBundleView): Promise<void> {
    await new SessionBuilder(
      this.store,
      new SignalProtocolAddress(bundle.userId, bundle.deviceId),
    ).processPreKey({
      identityKey: fromBase64(bundle.identityKey),
      registrationId: bundle.registrationId,
      signedPreKey: {
        keyId: bundle.signedPreKey.keyId,
        publicKey: fromBase64(bundle.signedPreKey.publicKey),
        signature: fromBase64(bundle.signedPreKey.signature),
      },
      ...(bundle.preKey
        ? { preKey: { keyId: bundle.preKey.keyId, publicKey: fromBase64(bundle.preKey.publicKey) } }
        : {}),
    });
  }

  private async get(path: string): Promise<unknown> {
    return expectStatus(await this.rest.request('GET', path), 200);
  }

  private async post(path: string, body: object): Promise<unknown> {
    return expectStatus(await this.rest.request('POST', path, { body }), 200);
  }
}
