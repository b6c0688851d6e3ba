import type { AttachmentView, MessageType } from '@chat/shared-dto';

/**
 * What stands for a message's attachment where only a line of text fits (conversation
 * previews, reply quotes, notifications): "Photo", the document's name, "Voice message".
 */
export function attachmentWord(
  type: MessageType,
  attachment?: Pick<AttachmentView, 'name'> | null,
): string {
  switch (type) {
    case 'image':
      return 'Photo';
    case 'file':
      return attachment?.name ? `File: ${attachment.name}` : 'File';
    case 'voice':
      return 'Voice message';
    default:
      return '';
  }
}
