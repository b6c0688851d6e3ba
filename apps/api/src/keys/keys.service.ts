import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type {
  DeviceKeysView,
  EncryptedPayload,
  OwnDeviceView,
  PreKeyBundleView,
  PreKeyDto,
  RegisterDeviceDto,
} from '@chat/shared-dto';
import { E2E_LIMITS } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { databaseCode, PG_ERROR } from '../core/database/pg-errors';
import { DomainEvents } from '../core/events/domain-events';
import { BlocksService } from '../users/blocks.service';
import { UsersService } from '../users/users.service';
import { DEVICES_CHANGED } from './keys.events';
import { DeviceRow, KeysRepository } from './keys.repository';

const REGISTER_ATTEMPTS = 3;

/**
 * The key directory of end-to-end encryption. It holds public keys only: a stolen database
 * or a curious admin learns which devices exist, never a message. It also checks that an
 * encrypted message was encrypted for exactly the devices that exist, so none is left out.
 */
@Injectable()
export class KeysService {
  constructor(
    private readonly repository: KeysRepository,
    private readonly membership: MembershipService,
    private readonly users: UsersService,
    private readonly blocks: BlocksService,
    private readonly events: DomainEvents,
  ) {}

  async register(userId: string, device: RegisterDeviceDto): Promise<OwnDeviceView> {
    assertDistinctKeyIds(device.preKeys);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const deviceId = await this.repository.register(userId, device);
        this.events.emit(DEVICES_CHANGED, { userId });
        return this.ownDevice(userId, deviceId);
      } catch (err) {
        // Another registration of this user took the same device id first.
        if (databaseCode(err) !== PG_ERROR.uniqueViolation || attempt >= REGISTER_ATTEMPTS)
          throw err;
      }
    }
  }

  async ownDevices(userId: string): Promise<OwnDeviceView[]> {
    return (await this.repository.devicesOf([userId])).map(toOwnDeviceView);
  }

  async addPreKeys(userId: string, deviceId: number, preKeys: PreKeyDto[]): Promise<number> {
    assertDistinctKeyIds(preKeys);
    await this.ownDevice(userId, deviceId);
    const held = await this.repository.preKeyCount(userId, deviceId);
    if (held + preKeys.length > E2E_LIMITS.preKeysStoredMax)
      throw new BadRequestException(
        `A device holds at most ${E2E_LIMITS.preKeysStoredMax} one-time prekeys (it has ${held})`,
      );
    return this.repository.addPreKeys(userId, deviceId, preKeys);
  }

  async remove(userId: string, deviceId: number): Promise<void> {
    if (!(await this.repository.remove(userId, deviceId)))
      throw new NotFoundException('Device not found');
    this.events.emit(DEVICES_CHANGED, { userId });
  }

  /** Public identities are public: anyone signed in may read them to compare safety numbers. */
  async devicesOf(userId: string): Promise<DeviceKeysView[]> {
    await this.assertUserExists(userId);
    return (await this.repository.devicesOf([userId])).map(toDeviceKeysView);
  }

  /**
   * Prekeys are spent by each claim, so only the user's own devices and people who share a
   * conversation with them (and are not blocked by them) may claim.
   */
  async claimBundles(
    callerId: string,
    userId: string,
    deviceIds: number[] | undefined,
  ): Promise<PreKeyBundleView[]> {
    await this.assertUserExists(userId);
    if (callerId !== userId) {
      const sharing = await this.membership.sharingWith(callerId, [userId]);
      if (!sharing.has(userId))
        throw new ForbiddenException('You share no conversation with this user');
      await this.blocks.assertNotBlockedBy(callerId, [userId]);
    }
    const wanted = deviceIds ? [...new Set(deviceIds)] : null;
    const devices = (await this.repository.devicesOf([userId])).filter(
      (d) => !wanted || wanted.includes(d.device_id),
    );
    const claimed = new Map(
      (await this.repository.claimPreKeys(userId, wanted)).map((k) => [k.device_id, k]),
    );
    return devices.map((d) => {
      const preKey = claimed.get(d.device_id);
      return {
        userId: d.user_id,
        deviceId: d.device_id,
        registrationId: d.registration_id,
        identityKey: d.identity_key,
        signedPreKey: {
          keyId: d.signed_prekey_id,
          publicKey: d.signed_prekey,
          signature: d.signed_prekey_signature,
        },
        ...(preKey ? { preKey: { keyId: preKey.key_id, publicKey: preKey.public_key } } : {}),
      };
    });
  }

  /**
   * An encrypted message (or edit, or reaction) of `senderId` to these members must carry one
   * envelope for each of their devices but the sending one, no more and no fewer: CONFLICT
   * tells the client its device lists are stale, so that no device silently misses a message.
   */
  async assertCoversDevices(
    memberIds: Iterable<string>,
    senderId: string,
    payload: EncryptedPayload,
  ): Promise<void> {
    const members = [...memberIds];
    const devices = await this.repository.devicesOf(members);
    if (!devices.some((d) => d.user_id === senderId && d.device_id === payload.senderDeviceId))
      throw new BadRequestException('senderDeviceId is not one of your devices');
    for (const member of members) {
      if (member !== senderId && !devices.some((d) => d.user_id === member))
        throw new BadRequestException(
          'The other member has no device with encryption keys yet: they must sign in once first',
        );
    }
    const expected = new Set(
      devices
        .filter((d) => !(d.user_id === senderId && d.device_id === payload.senderDeviceId))
        .map((d) => `${d.user_id}:${d.device_id}`),
    );
    const given = payload.envelopes.map((e) => `${e.userId}:${e.deviceId}`);
    if (new Set(given).size !== given.length)
      throw new BadRequestException('Each device gets exactly one envelope');
    if (given.length !== expected.size || given.some((key) => !expected.has(key)))
      throw new ConflictException(
        'The devices of this conversation changed: fetch them again and re-encrypt',
      );
  }

  private async ownDevice(userId: string, deviceId: number): Promise<OwnDeviceView> {
    const device = (await this.repository.devicesOf([userId])).find(
      (d) => d.device_id === deviceId,
    );
    if (!device) throw new NotFoundException('Device not found');
    return toOwnDeviceView(device);
  }

  private async assertUserExists(userId: string): Promise<void> {
    const [user] = await this.users.findByIds([userId]);
    if (!user) throw new NotFoundException('User not found');
  }
}

function assertDistinctKeyIds(preKeys: PreKeyDto[]): void {
  if (new Set(preKeys.map((k) => k.keyId)).size !== preKeys.length)
    throw new BadRequestException('preKeys must have distinct keyIds');
}

function toDeviceKeysView(row: DeviceRow): DeviceKeysView {
  return {
    userId: row.user_id,
    deviceId: row.device_id,
    registrationId: row.registration_id,
    identityKey: row.identity_key,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toOwnDeviceView(row: DeviceRow): OwnDeviceView {
  return { ...toDeviceKeysView(row), preKeysLeft: Number(row.prekeys_left) };
}
