import { Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** A device's public keys in the key directory (base64); its private keys never reach us. */
@Entity('e2e_devices')
export class DeviceEntity {
  @ForeignKey(() => UserEntity, { name: 'e2e_devices_user_id_fkey', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'e2e_devices_pkey' })
  userId!: string;

  /** Assigned at registration: one more than the user's highest so far. */
  @PrimaryColumn({
    name: 'device_id',
    type: 'integer',
    primaryKeyConstraintName: 'e2e_devices_pkey',
  })
  deviceId!: number;

  @Column({ name: 'registration_id', type: 'integer' })
  registrationId!: number;

  @Column({ name: 'identity_key', type: 'varchar', length: 44 })
  identityKey!: string;

  @Column({ name: 'signed_prekey_id', type: 'integer' })
  signedPreKeyId!: number;

  @Column({ name: 'signed_prekey', type: 'varchar', length: 44 })
  signedPreKey!: string;

  @Column({ name: 'signed_prekey_signature', type: 'varchar', length: 88 })
  signedPreKeySignature!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
