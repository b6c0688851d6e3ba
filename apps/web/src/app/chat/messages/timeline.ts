import type {
  AttachmentView,
  ConversationMemberView,
  MessageType,
  MessageView,
  ReactionSummary,
  ReplyPreview,
  UploadMimeType,
} from '@chat/shared-dto';
import { callLabel } from '../calls/call-format';
import type { E2eStatus, RevealedMessage } from '../e2e/decrypted.store';
import { attachmentWord } from '../shared/attachment-word';
import { clockTime, dayKey, dayLabel, displayName } from '../shared/format';
import type { TextSegment } from './link-segments';
import { segmentText } from './link-segments';
import { markMentions } from './mentions';
import type { OutboxEntry } from './outbox';
import { describeReaders, receiptFor } from './receipts';
import type { PendingUpload } from './uploads.store';

export type DisplayStatus =
  'incoming' | 'uploading' | 'pending' | 'failed' | 'sent' | 'delivered' | 'read';

/** A file card: no URL nor recognised type yet while the document uploads. */
export interface DisplayFile {
  url: string | null;
  name: string;
  size: number;
  mimeType: UploadMimeType | null;
}

/** What the voice player needs: the server's duration, since recorded WebM states none. */
export interface DisplayVoice {
  url: string;
  durationMs: number;
  waveform: readonly number[] | null;
}

export interface DisplayMessage {
  /** Stable across pending -> sent, so the DOM node is kept. */
  key: string;
  id: string | null;
  seq: number | null;
  clientId: string;
  senderId: string;
  own: boolean;
  type: MessageType;
  text: string;
  /** A call message's words ("Video call, 4:12"); null for every other message. */
  callLabel?: string | null;
  callMedia?: 'audio' | 'video' | null;
  segments: readonly TextSegment[];
  imageUrl: string | null;
  fullImageUrl: string | null;
  /** The document a file message carries, shown as a card with a download link. */
  file: DisplayFile | null;
  /** The recording a voice message carries, played inline (a local copy while it uploads). */
  voice: DisplayVoice | null;
  createdAt: string;
  time: string;
  status: DisplayStatus;
  progress: number;
  error: string | null;
  /** For own messages in groups: "Read by Ana and Bob". */
  readers: string;
  readCount: number;
  others: number;
  lifecycle: LifecycleView;
  /**
   * In an encrypted conversation: whether its plaintext could be read on this device
   * (`no-key`: sent before the device existed; `failed`: tampered, replayed, corrupt).
   */
  e2e?: E2eStatus | null;
}

/** A reaction as the bubble shows it. */
export interface DisplayReaction extends ReactionSummary {
  mine: boolean;
  /** Who reacted, for the tooltip: "Ana, Bob and 3 others". */
  who: string;
}

/** The quote a reply shows. */
export interface DisplayReply {
  id: string;
  seq: number;
  senderName: string;
  excerpt: string;
  /** The original is gone (its excerpt is empty). */
  deleted: boolean;
}

/** Edit, delete, reply and reaction state of a message, and what the viewer may do with it. */
export interface LifecycleView {
  edited: boolean;
  deleted: boolean;
  replyTo: DisplayReply | null;
  reactions: readonly DisplayReaction[];
  /** The viewer is mentioned. */
  mentionsMe: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canReply: boolean;
  canReact: boolean;
}

export const NO_LIFECYCLE: LifecycleView = {
  edited: false,
  deleted: false,
  replyTo: null,
  reactions: [],
  mentionsMe: false,
  canEdit: false,
  canDelete: false,
  canReply: false,
  canReact: false,
};

function whoReacted(userIds: readonly string[], count: number, names: Map<string, string>): string {
  const shown = userIds.map((id) => names.get(id) ?? 'Former member');
  const more = count - shown.length;
  if (more > 0) shown.push(`${more} other${more === 1 ? '' : 's'}`);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function replyView(
  reply: ReplyPreview,
  held: ReadonlyMap<string, MessageView | RevealedMessage>,
  names: Map<string, string>,
): DisplayReply {
  const original = held.get(reply.id);
  const deleted = original ? Boolean(original.deletedAt) : !reply.excerpt && reply.type === 'text';
  // An encrypted original this device cannot read: the excerpt the reply was revealed with.
  const readable = !original || !('e2e' in original) || original.e2e === 'ok';
  const text = original && !deleted && readable ? original.content.slice(0, 140) : reply.excerpt;
  const type = original?.type ?? reply.type;
  return {
    id: reply.id,
    seq: reply.seq,
    senderName: names.get(reply.senderId) ?? 'Former member',
    excerpt: deleted ? 'This message was deleted' : text || attachmentWord(type),
    deleted,
  };
}

export type TimelineItem =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'unread'; key: string; label: string }
  | {
      kind: 'message';
      key: string;
      message: DisplayMessage;
      groupStart: boolean;
      groupEnd: boolean;
      senderName: string | null;
    };

export interface TimelineInput {
  /** In an encrypted conversation, with their plaintext revealed (`DecryptedStore.reveal`). */
  messages: readonly (MessageView | RevealedMessage)[];
  outbox: readonly OutboxEntry[];
  uploads: readonly PendingUpload[];
  members: readonly ConversationMemberView[];
  /** The conversation's size, which a large group's embedded `members` fall short of. */
  memberCount?: number;
  selfId: string | null;
  group: boolean;
  /** A local object URL for an image still on its way, by clientId. */
  preview?: (clientId: string) => string | null;
  now?: number;
  /**
   * Where the reader had read up to when the conversation was opened: an "N new messages"
   * divider goes above the first later message from someone else. `count` is what the server
   * said was unread (some may not be loaded yet).
   */
  unread?: { afterSeq: number; count: number } | null;
  /** Why queued messages cannot go out now (the connection keeps failing): shown on them. */
  stalled?: string | null;
}

const GROUP_GAP_MS = 5 * 60 * 1000;
const segmentCache = new WeakMap<MessageView, readonly TextSegment[]>();

function segmentsOf(message: MessageView): readonly TextSegment[] {
  let segments = segmentCache.get(message);
  if (!segments) {
    segments = message.type === 'text' ? segmentText(message.content ?? '') : [];
    segmentCache.set(message, segments);
  }
  return segments;
}

/**
 * Everything the message list draws, in order: confirmed messages by seq, then the user's own
 * pending ones (uploads and the outbox) by time, with day separators and sender grouping. A
 * pending message already confirmed (same clientId) is shown once.
 */
export function buildTimeline(input: TimelineInput): TimelineItem[] {
  const { messages, selfId, members, group } = input;
  const confirmedClientIds = new Set(
    messages.filter((message) => message.senderId === selfId).map((message) => message.clientId),
  );
  const display: DisplayMessage[] = [];
  const names = new Map(members.map((member) => [member.id, displayName(member)]));
  const usernames = new Map(members.map((member) => [member.username.toLowerCase(), member.id]));
  const held = new Map(messages.map((message) => [message.id, message]));
  const myRole = members.find((member) => member.id === selfId)?.role;
  const moderator = group && (myRole === 'owner' || myRole === 'admin');

  for (const message of messages) {
    const own = message.senderId === selfId;
    let status: DisplayStatus = 'incoming';
    let readers = '';
    let readCount = 0;
    let others = 0;
    if (own) {
      const receipt = receiptFor(message.seq, members, selfId, input.memberCount);
      status = receipt.state;
      readCount = receipt.readBy.length;
      others = receipt.others;
      readers = describeReaders(receipt.readBy);
    }
    const local = own && input.preview ? input.preview(message.clientId) : null;
    const image = message.type === 'image' ? message.thumbnailUrl || message.fileUrl || null : null;
    const deleted = Boolean(message.deletedAt);
    const mentionsMe = !deleted && selfId !== null && message.mentions.includes(selfId);
    const segments = segmentsOf(message);
    const e2e = 'e2e' in message ? (message.e2e ?? null) : null;
    // An encrypted message nobody can read here offers nothing to act on but deleting it.
    const readable = e2e === null || e2e === 'ok';
    display.push({
      key: `${message.senderId}:${message.clientId}`,
      id: message.id,
      seq: message.seq,
      clientId: message.clientId,
      senderId: message.senderId,
      own,
      type: message.type,
      text: message.content ?? '',
      callLabel: message.call ? callLabel(message.call) : null,
      callMedia: message.call?.media ?? null,
      segments: message.mentions.length ? markMentions(segments, usernames, selfId) : segments,
      imageUrl: deleted ? null : (local ?? image),
      fullImageUrl: message.type === 'image' ? (message.fileUrl ?? image) : null,
      file: !deleted && message.type === 'file' ? (message.attachment ?? null) : null,
      voice: !deleted && message.type === 'voice' ? localCopy(message.attachment, local) : null,
      createdAt: message.createdAt,
      time: clockTime(message.createdAt),
      status,
      progress: 1,
      error: null,
      readers,
      readCount,
      others,
      e2e: deleted ? null : e2e,
      lifecycle: {
        edited: Boolean(message.editedAt) && !deleted,
        deleted,
        replyTo: message.replyTo && !deleted ? replyView(message.replyTo, held, names) : null,
        reactions: deleted
          ? []
          : message.reactions.map((reaction) => ({
              ...reaction,
              mine: selfId !== null && reaction.userIds.includes(selfId),
              who: whoReacted(reaction.userIds, reaction.count, names),
            })),
        mentionsMe,
        canEdit: own && !deleted && message.type === 'text' && readable,
        canDelete: !deleted && (own || moderator),
        canReply: !deleted && readable,
        canReact: !deleted && readable,
      },
    });
  }

  const pending: DisplayMessage[] = [];
  const queued = new Set<string>();
  for (const entry of input.outbox) {
    queued.add(entry.clientId);
    if (confirmedClientIds.has(entry.clientId)) continue;
    const local = input.preview?.(entry.clientId) ?? null;
    pending.push({
      key: `${selfId}:${entry.clientId}`,
      id: null,
      seq: null,
      clientId: entry.clientId,
      senderId: selfId ?? '',
      own: true,
      type: entry.type,
      text: entry.content,
      segments: entry.type === 'text' ? segmentText(entry.content) : [],
      imageUrl:
        entry.type === 'image' ? (local ?? entry.thumbnailUrl ?? entry.fileUrl ?? null) : null,
      fullImageUrl: entry.type === 'image' ? (entry.fileUrl ?? local) : null,
      file: entry.type === 'file' ? (entry.attachment ?? null) : null,
      voice: entry.type === 'voice' ? localCopy(entry.attachment, local) : null,
      createdAt: entry.createdAt,
      time: clockTime(entry.createdAt),
      status: entry.status === 'failed' || input.stalled ? 'failed' : 'pending',
      progress: 1,
      error: entry.status === 'failed' ? (entry.error ?? null) : (input.stalled ?? null),
      readers: '',
      readCount: 0,
      others: 0,
      lifecycle: entry.replyTo
        ? { ...NO_LIFECYCLE, replyTo: replyView(entry.replyTo, held, names) }
        : NO_LIFECYCLE,
    });
  }
  for (const upload of input.uploads) {
    if (queued.has(upload.clientId) || confirmedClientIds.has(upload.clientId)) continue;
    pending.push({
      key: `${selfId}:${upload.clientId}`,
      id: null,
      seq: null,
      clientId: upload.clientId,
      senderId: selfId ?? '',
      own: true,
      type: upload.kind,
      text: '',
      segments: [],
      imageUrl: upload.kind === 'image' ? upload.previewUrl : null,
      fullImageUrl: upload.kind === 'image' ? upload.previewUrl : null,
      file: upload.kind === 'file' ? uploadingFile(upload) : null,
      voice: upload.kind === 'voice' ? uploadingVoice(upload) : null,
      createdAt: upload.createdAt,
      time: clockTime(upload.createdAt),
      status: upload.status === 'failed' ? 'failed' : 'uploading',
      progress: upload.progress,
      error: upload.error ?? null,
      readers: '',
      readCount: 0,
      others: 0,
      lifecycle: NO_LIFECYCLE,
    });
  }
  pending.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  display.push(...pending);

  const items: TimelineItem[] = [];
  const firstUnread = unreadStart(display, input.unread);
  let previousDay = '';
  for (let i = 0; i < display.length; i++) {
    const message = display[i];
    const day = dayKey(message.createdAt);
    if (day !== previousDay) {
      items.push({ kind: 'day', key: `day:${day}`, label: dayLabel(message.createdAt, input.now) });
      previousDay = day;
    }
    if (i === firstUnread.index) {
      items.push({ kind: 'unread', key: 'unread', label: unreadLabel(firstUnread.count) });
    }
    const previous = display[i - 1];
    const next = display[i + 1];
    const groupStart = !previous || !sameGroup(previous, message) || i === firstUnread.index;
    const groupEnd = !next || !sameGroup(message, next) || i + 1 === firstUnread.index;
    items.push({
      kind: 'message',
      key: message.key,
      message,
      groupStart,
      groupEnd,
      senderName:
        group && !message.own && groupStart
          ? (names.get(message.senderId) ?? 'Former member')
          : null,
    });
  }
  return items;
}

/** The index of the first unread message from someone else, and how many are unread. */
function unreadStart(
  display: readonly DisplayMessage[],
  unread: TimelineInput['unread'],
): { index: number; count: number } {
  if (!unread || unread.count <= 0) return { index: -1, count: 0 };
  let index = -1;
  let counted = 0;
  for (let i = 0; i < display.length; i++) {
    const message = display[i];
    if (message.own || message.type === 'system') continue;
    if (message.seq === null || message.seq <= unread.afterSeq) continue;
    if (index < 0) index = i;
    counted++;
  }
  return { index, count: Math.max(counted, unread.count) };
}

function unreadLabel(count: number): string {
  return count === 1 ? '1 new message' : `${count} new messages`;
}

/** Bubbles of one sender in a row share a group; a system line stands alone. */
function sameGroup(a: DisplayMessage, b: DisplayMessage): boolean {
  return (
    a.type !== 'system' &&
    b.type !== 'system' &&
    a.senderId === b.senderId &&
    dayKey(a.createdAt) === dayKey(b.createdAt) &&
    Math.abs(Date.parse(b.createdAt) - Date.parse(a.createdAt)) < GROUP_GAP_MS
  );
}

/** A voice note plays from the sender's local copy until that is released. */
function localCopy(
  attachment: AttachmentView | null | undefined,
  local: string | null,
): DisplayVoice | null {
  if (!attachment) return null;
  return {
    url: local ?? attachment.url,
    durationMs: attachment.durationMs ?? 0,
    waveform: attachment.waveform ?? null,
  };
}

function uploadingFile(upload: PendingUpload): DisplayFile {
  return { url: null, name: upload.name, size: upload.size, mimeType: null };
}

function uploadingVoice(upload: PendingUpload): DisplayVoice {
  return {
    url: upload.previewUrl ?? '',
    durationMs: upload.voice?.durationMs ?? 0,
    waveform: upload.voice?.waveform ?? null,
  };
}
