import type {
  EncryptedAttachmentContent,
  EncryptedMessageContent,
  EncryptedReactionContent,
} from '@chat/shared-dto';

/** Checks a decrypted plaintext, which came from another client and is trusted for nothing. */
export function isMessageContent(value: unknown): value is EncryptedMessageContent {
  if (typeof value !== 'object' || value === null) return false;
  const content = value as Partial<EncryptedMessageContent>;
  return (
    content.v === 1 &&
    typeof content.text === 'string' &&
    (content.attachment === undefined || isAttachment(content.attachment))
  );
}

function isAttachment(value: unknown): value is EncryptedAttachmentContent {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Partial<EncryptedAttachmentContent>;
  return (
    typeof a.url === 'string' &&
    (a.kind === 'image' || a.kind === 'file' || a.kind === 'voice') &&
    typeof a.name === 'string' &&
    typeof a.mimeType === 'string' &&
    typeof a.size === 'number' &&
    typeof a.key === 'string' &&
    typeof a.iv === 'string' &&
    (a.waveform === undefined ||
      (Array.isArray(a.waveform) && a.waveform.every((n) => typeof n === 'number')))
  );
}

export function isReactionContent(value: unknown): value is EncryptedReactionContent {
  if (typeof value !== 'object' || value === null) return false;
  const content = value as Partial<EncryptedReactionContent>;
  return (
    content.v === 1 &&
    Array.isArray(content.emojis) &&
    content.emojis.every((emoji) => typeof emoji === 'string')
  );
}
