import './e2e-env.test';
import type {
  DeviceKeysView,
  EncryptedMessageContent,
  EncryptedPayload,
  PreKeyBundleView,
  RegisterDeviceDto,
} from '@chat/shared-dto';
import { isMessageContent } from './content';
import { generateIdentity } from './device-keys';
import type { KeyDirectory } from './e2e-cipher';
import { E2eCipher, NoRecipientDevice } from './e2e-cipher';
import { base64ToBytes, bytesToBase64 } from './encoding';
import { loadLibsignal } from './signal';
import { SignalStore } from './signal-store';

const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

/** The key directory's rules in memory: one-time prekeys are handed out once. */
class FakeDirectory implements KeyDirectory {
  private readonly registered = new Map<string, DeviceKeysView & { dto: RegisterDeviceDto }>();
  private nextId = new Map<string, number>();
  claims = 0;

  register(userId: string, dto: RegisterDeviceDto): number {
    const deviceId = (this.nextId.get(userId) ?? 0) + 1;
    this.nextId.set(userId, deviceId);
    this.registered.set(`${userId}.${deviceId}`, {
      userId,
      deviceId,
      registrationId: dto.registrationId,
      identityKey: dto.identityKey,
      createdAt: new Date().toISOString(),
      dto: { ...dto, preKeys: [...dto.preKeys] },
    });
    return deviceId;
  }

  async devicesOf(userId: string): Promise<DeviceKeysView[]> {
    return [...this.registered.values()]
      .filter((device) => device.userId === userId)
      .map(({ dto: _dto, ...view }) => view);
  }

  async claimBundles(userId: string, deviceIds: number[]): Promise<PreKeyBundleView[]> {
    this.claims++;
    return deviceIds.flatMap((deviceId) => {
      const device = this.registered.get(`${userId}.${deviceId}`);
      if (!device) return [];
      const preKey = device.dto.preKeys.shift();
      return [
        {
          userId,
          deviceId,
          registrationId: device.registrationId,
          identityKey: device.identityKey,
          signedPreKey: device.dto.signedPreKey,
          preKey,
        },
      ];
    });
  }
}

let dbCounter = 0;

async function device(directory: FakeDirectory, userId: string): Promise<E2eCipher> {
  const lib = await loadLibsignal();
  // A store per device: each test device gets its own database, as separate browsers would.
  const storeName = `${userId}-${++dbCounter}`;
  const store = new SignalStore(storeName);
  const dto = await generateIdentity(lib, store);
  const deviceId = directory.register(userId, dto);
  stores.set(userId, storeName);
  return new E2eCipher(lib, store, { userId, deviceId }, directory);
}

/** The database of the latest device created per user. */
const stores = new Map<string, string>();

function text(value: string): EncryptedMessageContent {
  return { v: 1, text: value };
}

describe('E2eCipher', () => {
  let directory: FakeDirectory;
  let alice: E2eCipher;
  let bob: E2eCipher;

  beforeEach(async () => {
    directory = new FakeDirectory();
    alice = await device(directory, ALICE);
    bob = await device(directory, BOB);
  }, 30_000);

  it('exchanges messages both ways and keeps the sender able to read its own', async () => {
    const first = await alice.encrypt([ALICE, BOB], text('hello bob'));
    expect(first.senderDeviceId).toBe(alice.self.deviceId);
    expect(first.envelopes.map((e) => [e.userId, e.deviceId, e.type])).toEqual([[BOB, 1, 3]]);
    await alice.rememberOwn(first, ['c:client-1'], text('hello bob'));

    expect(await bob.decrypt(ALICE, first, ['m:1'], isMessageContent)).toEqual({
      state: 'ok',
      content: text('hello bob'),
    });
    // The sender has no envelope for itself: its copy comes from its own cache.
    expect(await alice.decrypt(ALICE, first, ['m:1', 'c:client-1'], isMessageContent)).toEqual({
      state: 'ok',
      content: text('hello bob'),
    });

    const reply = await bob.encrypt([BOB, ALICE], text('hi alice ✓'));
    // Bob's session came from Alice's prekey message: no bundle claimed for the reply.
    expect(reply.envelopes[0].type).toBe(1);
    expect(await alice.decrypt(BOB, reply, ['m:2'], isMessageContent)).toEqual({
      state: 'ok',
      content: text('hi alice ✓'),
    });

    const again = await alice.encrypt([ALICE, BOB], text('third'));
    expect(again.envelopes[0].type).toBe(1);
    expect(await bob.decrypt(ALICE, again, ['m:3'], isMessageContent)).toMatchObject({
      state: 'ok',
      content: { text: 'third' },
    });
  }, 30_000);

  it('returns the cached text when the same message is decrypted again', async () => {
    const payload = await alice.encrypt([ALICE, BOB], text('only once'));
    const first = await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent);
    const second = await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent);
    expect(first).toEqual({ state: 'ok', content: text('only once') });
    expect(second).toEqual(first);
  }, 30_000);

  it('refuses an envelope replayed under another message', async () => {
    const payload = await alice.encrypt([ALICE, BOB], text('pay 10'));
    await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent);
    expect(await bob.decrypt(ALICE, payload, ['m:2'], isMessageContent)).toMatchObject({
      state: 'failed',
    });
  }, 30_000);

  it('fails a replay that the cache does not know: the message key is spent', async () => {
    const payload = await alice.encrypt([ALICE, BOB], text('first'));
    expect((await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent)).state).toBe('ok');
    // Same keys and sessions, empty plaintext cache: only libsignal stands in the way.
    await clearPlaintexts(bob.self.userId);
    expect(await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent)).toMatchObject({
      state: 'failed',
    });
  }, 30_000);

  it('spends no message key when the plaintext could not be kept (decrypts again later)', async () => {
    const payload = await alice.encrypt([ALICE, BOB], text('keep me'));
    const store = (bob as unknown as { store: SignalStore }).store;
    const commit = jest
      .spyOn(store, 'commitDecryption')
      .mockRejectedValueOnce(new Error('QuotaExceededError'));
    expect((await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent)).state).toBe('failed');
    // Nothing of that attempt reached IndexedDB: the ratchet did not move on without its text.
    expect(await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent)).toEqual({
      state: 'ok',
      content: text('keep me'),
    });
    commit.mockRestore();
  }, 30_000);

  it('fails a tampered envelope without throwing', async () => {
    const payload = await alice.encrypt([ALICE, BOB], text('do not touch'));
    const bytes = base64ToBytes(payload.envelopes[0].body);
    bytes[bytes.length - 12] ^= 0x01;
    const tampered: EncryptedPayload = {
      ...payload,
      envelopes: [{ ...payload.envelopes[0], body: bytesToBase64(bytes) }],
    };
    const result = await bob.decrypt(ALICE, tampered, ['m:1'], isMessageContent);
    expect(result.state).toBe('failed');
    // The genuine one still decrypts: the bad one spent nothing.
    expect(await bob.decrypt(ALICE, payload, ['m:1'], isMessageContent)).toMatchObject({
      state: 'ok',
      content: { text: 'do not touch' },
    });
  }, 30_000);

  it('says no-key for a message sent before this device existed', async () => {
    const payload = await alice.encrypt([ALICE, BOB], text('before'));
    const bobLaptop = await device(directory, BOB);
    expect(await bobLaptop.decrypt(ALICE, payload, ['m:1'], isMessageContent)).toEqual({
      state: 'no-key',
    });
    // Once the new device is listed, Alice's next message covers it as well.
    alice.invalidateDevices();
    const after = await alice.encrypt([ALICE, BOB], text('after'));
    expect(after.envelopes.map((e) => e.deviceId).sort()).toEqual([1, 2]);
    expect(await bobLaptop.decrypt(ALICE, after, ['m:2'], isMessageContent)).toMatchObject({
      state: 'ok',
      content: { text: 'after' },
    });
  }, 30_000);

  it('refuses to encrypt for someone without any device, after looking again', async () => {
    const carol = '00000000-0000-4000-8000-00000000000c';
    const devicesOf = jest.spyOn(directory, 'devicesOf');
    await expect(alice.encrypt([ALICE, carol], text('hello?'))).rejects.toBeInstanceOf(
      NoRecipientDevice,
    );
    expect(devicesOf.mock.calls.filter(([id]) => id === carol)).toHaveLength(2);
  }, 30_000);

  it('covers the sender’s other devices too', async () => {
    const alicePhone = await device(directory, ALICE);
    alice.invalidateDevices();
    const payload = await alice.encrypt([ALICE, BOB], text('to all'));
    expect(payload.envelopes.map((e) => `${e.userId}.${e.deviceId}`).sort()).toEqual(
      [`${ALICE}.${alicePhone.self.deviceId}`, `${BOB}.1`].sort(),
    );
    expect(await alicePhone.decrypt(ALICE, payload, ['m:1'], isMessageContent)).toMatchObject({
      state: 'ok',
      content: { text: 'to all' },
    });
  }, 30_000);
});

async function clearPlaintexts(userId: string): Promise<void> {
  const { openDB } = await import('idb');
  const db = await openDB(`chat-e2e-${stores.get(userId)}`);
  await db.clear('plaintexts');
  db.close();
}
