import { SessionEntity } from '../../auth/session.entity';
import { ConversationMemberEntity } from '../../conversations/conversation-member.entity';
import { ConversationEntity } from '../../conversations/conversation.entity';
import { MessageEntity } from '../../messages/message.entity';
import { PushSubscriptionEntity } from '../../push/push-subscription.entity';
import { VapidKeyEntity } from '../../push/vapid-key.entity';
import { DeliveryReceiptEntity } from '../../receipts/delivery-receipt.entity';
import { ReadReceiptEntity } from '../../receipts/read-receipt.entity';
import { UploadEntity } from '../../upload/upload.entity';
import { UserEntity } from '../../users/user.entity';

/** Every entity; the feature modules register theirs with `forFeature`, the CLI needs them all. */
export const entities = [
  UserEntity,
  SessionEntity,
  ConversationEntity,
  ConversationMemberEntity,
  MessageEntity,
  ReadReceiptEntity,
  DeliveryReceiptEntity,
  UploadEntity,
  PushSubscriptionEntity,
  VapidKeyEntity,
];
