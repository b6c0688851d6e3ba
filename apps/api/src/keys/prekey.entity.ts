import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { DeviceEntity } from './device.entity';

/** A one-time prekey: handed to one session initiator, deleted as it is handed out. */
@Entity('e2e_prekeys')
@ForeignKey(() => DeviceEntity, ['userId', 'deviceId'], ['userId', 'deviceId'], {
  name: 'e2e_prekeys_device_fkey',
  onDelete: 'CASCADE',
})
export class PreKeyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'e2e_prekeys_pkey' })
  userId!: string;

  @PrimaryColumn({
    name: 'device_id',
    type: 'integer',
    primaryKeyConstraintName: 'e2e_prekeys_pkey',
  })
  deviceId!: number;

  @PrimaryColumn({ name: 'key_id', type: 'integer', primaryKeyConstraintName: 'e2e_prekeys_pkey' })
  keyId!: number;

  @Column({ name: 'public_key', type: 'varchar', length: 44 })
  publicKey!: string;
}
