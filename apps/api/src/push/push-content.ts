import type { ConversationType, MessageView, PushPayload } from '@chat/shared-dto';

const EXCERPT_MAX = 140;

export interface SenderName {
  username: string;
  displayName?: string | null;
}

/** What a notification says about a new message: who (or which group) and an excerpt. */
export function pushPayloadFor(
  message: MessageView,
  sender: SenderName,
  conversation: { type: ConversationType; name: string | null },
): PushPayload {
  const who = sender.displayName?.trim() || sender.username;
  const text = excerpt(message);
  const group = conversation.type === 'group';
  return {
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    title: group ? conversation.name?.trim() || 'Group' : who,
    body: group ? `${who}: ${text}` : text,
  };
}

function excerpt(message: MessageView): string {
  // End-to-end encrypted: the server cannot read it, and would not say if it could.
  if (message.encrypted) return 'New message';
  if (message.type === 'system') return oneLine(message.content);
  if (message.type === 'image')
    return message.content.trim() ? `Photo: ${oneLine(message.content)}` : 'Photo';
  if (message.call) {
    const kind = message.call.media === 'video' ? 'video call' : 'voice call';
    if (message.call.outcome === 'completed')
      return kind === 'video call' ? 'Video call' : 'Voice call';
    return `${message.call.outcome === 'missed' ? 'Missed' : 'Declined'} ${kind}`;
  }
  if (message.type === 'voice') {
    const ms = message.attachment?.durationMs;
    return ms ? `Voice message (${clock(ms)})` : 'Voice message';
  }
  if (message.type === 'file' && message.attachment) return `File: ${message.attachment.name}`;
  if (message.type !== 'text') return 'New message';
  return oneLine(message.content);
}

/** 4250 ms -> "0:04", as a player shows it. */
function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat]; // code points: never cut a surrogate pair in half
  return chars.length <= EXCERPT_MAX ? flat : `${chars.slice(0, EXCERPT_MAX - 1).join('')}…`;
}

/**
 * The push service's `Topic` header, which collapses pushes of one conversation: at most 32
 * URL-safe characters, so the conversation's uuid without its dashes.
 */
export function topicFor(conversationId: string): string {
  return conversationId.replace(/-/g, '').slice(0, 32);
}
