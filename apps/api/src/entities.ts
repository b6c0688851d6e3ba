import { SessionEntity } from './auth/session.entity';
import { ConversationMemberEntity } from './conversations/conversation-member.entity';
import { ConversationEntity } from './conversations/conversation.entity';
import { DeviceEntity } from './keys/device.entity';
import { PreKeyEntity } from './keys/prekey.entity';
import { MessageEncryptedReactionEntity } from './messages/message-encrypted-reaction.entity';
import { MessageReactionEntity } from './messages/message-reaction.entity';
import { MessageEntity } from './messages/message.entity';
import { PushSubscriptionEntity } from './push/push-subscription.entity';
import { VapidKeyEntity } from './push/vapid-key.entity';
import { DeliveryReceiptEntity } from './receipts/delivery-receipt.entity';
import { ReadReceiptEntity } from './receipts/read-receipt.entity';
import { UploadEntity } from './upload/upload.entity';
import { UserBlockEntity } from './users/user-block.entity';
import { UserEntity } from './users/user.entity';

/**
 * Every entity, for DataSources outside Nest (the migrate command, the schema test). Inside
 * the app each module registers its own with `forFeature`.
 */
export const entities = [
  UserEntity,
  SessionEntity,
  ConversationEntity,
  ConversationMemberEntity,
  MessageEntity,
  MessageReactionEntity,
  ReadReceiptEntity,
  DeliveryReceiptEntity,
  UploadEntity,
  PushSubscriptionEntity,
  VapidKeyEntity,
  UserBlockEntity,
  DeviceEntity,
  PreKeyEntity,
  MessageEncryptedReactionEntity,
];
