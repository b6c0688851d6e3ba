import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { PreKeyDto, RegisterDeviceDto } from '@chat/shared-dto';
import { E2E_LIMITS } from '@chat/shared-dto';
import { Repository } from 'typeorm';
import { returningRows } from '../core/database/returning';
import { DeviceEntity } from './device.entity';
import { PreKeyEntity } from './prekey.entity';

export interface DeviceRow {
  user_id: string;
  device_id: number;
  registration_id: number;
  identity_key: string;
  signed_prekey_id: number;
  signed_prekey: string;
  signed_prekey_signature: string;
  created_at: Date;
  prekeys_left: number;
}

export interface ClaimedPreKey {
  device_id: number;
  key_id: number;
  public_key: string;
}

const DEVICE_COLUMNS = `d.user_id, d.device_id, d.registration_id, d.identity_key, d.signed_prekey_id,
  d.signed_prekey, d.signed_prekey_signature, d.created_at`;

/** The key directory: `e2e_devices` and their one-time `e2e_prekeys`. Public keys only. */
@Injectable()
export class KeysRepository {
  constructor(@InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>) {}

  /**
   * Stores a new device under the next device id of the user, with its prekeys, and drops the
   * user's oldest devices beyond the cap. Two registrations racing for one id: the loser's
   * insert finds the key taken (a unique violation) and the caller retries.
   */
  register(userId: string, device: RegisterDeviceDto): Promise<number> {
    return this.devices.manager.transaction(async (tx) => {
      const [row] = await tx.query<{ device_id: number }[]>(
        `INSERT INTO e2e_devices (user_id, device_id, registration_id, identity_key, signed_prekey_id,
                                  signed_prekey, signed_prekey_signature)
         SELECT $1, coalesce(max(device_id), 0) + 1, $2, $3, $4, $5, $6
           FROM e2e_devices WHERE user_id = $1
         RETURNING device_id`,
        [
          userId,
          device.registrationId,
          device.identityKey,
          device.signedPreKey.keyId,
          device.signedPreKey.publicKey,
          device.signedPreKey.signature,
        ],
      );
      await this.insertPreKeys(
        tx.getRepository(PreKeyEntity),
        userId,
        row.device_id,
        device.preKeys,
      );
      await tx.query(
        `DELETE FROM e2e_devices WHERE user_id = $1 AND device_id NOT IN (
           SELECT device_id FROM e2e_devices WHERE user_id = $1
            ORDER BY created_at DESC, device_id DESC LIMIT $2)`,
        [userId, E2E_LIMITS.devicesPerUserMax],
      );
      return row.device_id;
    });
  }

  /** Adds prekeys (an id already stored keeps its key); answers how many the device now has. */
  addPreKeys(userId: string, deviceId: number, preKeys: PreKeyDto[]): Promise<number> {
    return this.devices.manager.transaction(async (tx) => {
      await this.insertPreKeys(tx.getRepository(PreKeyEntity), userId, deviceId, preKeys);
      return this.preKeysLeft(tx.getRepository(PreKeyEntity), userId, deviceId);
    });
  }

  async preKeyCount(userId: string, deviceId: number): Promise<number> {
    return this.preKeysLeft(this.devices.manager.getRepository(PreKeyEntity), userId, deviceId);
  }

  /** These users' devices (with their prekey counts), by user then device id. */
  async devicesOf(userIds: string[]): Promise<DeviceRow[]> {
    if (userIds.length === 0) return [];
    return this.devices.query<DeviceRow[]>(
      `SELECT ${DEVICE_COLUMNS},
              (SELECT count(*)::int FROM e2e_prekeys p
                WHERE p.user_id = d.user_id AND p.device_id = d.device_id) AS prekeys_left
         FROM e2e_devices d WHERE d.user_id = ANY($1::uuid[])
        ORDER BY d.user_id, d.device_id`,
      [userIds],
    );
  }

  async remove(userId: string, deviceId: number): Promise<boolean> {
    const result = await this.devices.delete({ userId, deviceId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Hands out and deletes one one-time prekey per device (the lowest id), each to one caller
   * only: concurrent claims skip the rows another claim holds rather than wait for them.
   */
  async claimPreKeys(userId: string, deviceIds: number[] | null): Promise<ClaimedPreKey[]> {
    const result: unknown = await this.devices.query(
      `WITH picked AS (
         SELECT d.user_id, d.device_id, k.key_id FROM e2e_devices d
          CROSS JOIN LATERAL (
            SELECT p.key_id FROM e2e_prekeys p
             WHERE p.user_id = d.user_id AND p.device_id = d.device_id
             ORDER BY p.key_id LIMIT 1 FOR UPDATE SKIP LOCKED) k
          WHERE d.user_id = $1 AND ($2::int[] IS NULL OR d.device_id = ANY($2::int[])))
       DELETE FROM e2e_prekeys p USING picked
        WHERE p.user_id = picked.user_id AND p.device_id = picked.device_id AND p.key_id = picked.key_id
       RETURNING p.device_id, p.key_id, p.public_key`,
      [userId, deviceIds],
    );
    return returningRows<ClaimedPreKey>(result);
  }

  private async insertPreKeys(
    prekeys: Repository<PreKeyEntity>,
    userId: string,
    deviceId: number,
    keys: PreKeyDto[],
  ): Promise<void> {
    await prekeys
      .createQueryBuilder()
      .insert()
      .values(keys.map((k) => ({ userId, deviceId, keyId: k.keyId, publicKey: k.publicKey })))
      .orIgnore()
      .execute();
  }

  private preKeysLeft(
    prekeys: Repository<PreKeyEntity>,
    userId: string,
    deviceId: number,
  ): Promise<number> {
    return prekeys.countBy({ userId, deviceId });
  }
}
