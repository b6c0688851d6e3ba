import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The single VAPID key pair (row id 1) used when none is configured. */
@Entity('push_vapid_keys')
@Check('push_vapid_keys_id_check', 'id = 1')
export class VapidKeyEntity {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ name: 'public_key', type: 'varchar', length: 128 })
  publicKey!: string;

  @Column({ name: 'private_key', type: 'varchar', length: 128 })
  privateKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
