import { Injectable, inject } from '@angular/core';
import type {
  ConversationView,
  EncryptedMessageContent,
  EncryptedPayload,
  EncryptedReactionContent,
  EncryptedReactionView,
  MessageView,
} from '@chat/shared-dto';
import { isMessageContent, isReactionContent } from './content';
import { E2eDeviceService } from './device.service';
import type { DecryptResult, PlaintextContext } from './e2e-cipher';
import { DeviceListChanged } from './e2e-cipher';

/** The plaintext contexts of a message: where it is stored, and its clientId for own sends. */
export function messageContext(message: Pick<MessageView, 'id' | 'clientId'>): PlaintextContext {
  return [`m:${message.id}`, `c:${message.clientId}`];
}

export function reactionContext(messageId: string, userId: string): PlaintextContext {
  return [`r:${messageId}:${userId}`];
}

/**
 * The cipher of this device for the message path: encrypts for a conversation's members and
 * decrypts messages and reaction sets, waiting for the device to be registered first.
 */
@Injectable({ providedIn: 'root' })
export class E2eCipherService {
  private readonly device = inject(E2eDeviceService);

  /**
   * Encrypts for every device of both members (except this one) and keeps this device's own
   * copy of the plaintext under `context`. `fresh` refetches the device lists first (after a
   * CONFLICT ack).
   */
  async encryptFor(
    conversation: Pick<ConversationView, 'members'>,
    content: EncryptedMessageContent | EncryptedReactionContent,
    context: PlaintextContext,
    fresh = false,
  ): Promise<EncryptedPayload> {
    const cipher = await this.device.cipher();
    const members = conversation.members.map((member) => member.id);
    if (fresh) cipher.invalidateDevices(members);
    let payload: EncryptedPayload;
    try {
      payload = await cipher.encrypt(members, content);
    } catch (err) {
      if (!(err instanceof DeviceListChanged)) throw err;
      // A device vanished between the list and the bundle claim: once more from a fresh list.
      cipher.invalidateDevices(members);
      payload = await cipher.encrypt(members, content);
    }
    await cipher.rememberOwn(payload, context, content);
    return payload;
  }

  /** Forgets these users' cached device lists: one of them added or removed a device. */
  async forgetDevices(userIds: readonly string[]): Promise<void> {
    (await this.device.cipher()).invalidateDevices(userIds);
  }

  async decryptMessage(
    message: Pick<MessageView, 'id' | 'clientId' | 'senderId' | 'encrypted'>,
  ): Promise<DecryptResult<EncryptedMessageContent>> {
    if (!message.encrypted) return { state: 'failed', reason: 'Not encrypted' };
    const cipher = await this.device.cipher();
    return cipher.decrypt(
      message.senderId,
      message.encrypted,
      messageContext(message),
      isMessageContent,
    );
  }

  async decryptReactions(
    messageId: string,
    reactions: EncryptedReactionView,
  ): Promise<DecryptResult<EncryptedReactionContent>> {
    const cipher = await this.device.cipher();
    return cipher.decrypt(
      reactions.userId,
      reactions.encrypted,
      reactionContext(messageId, reactions.userId),
      isReactionContent,
    );
  }
}
