import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  Optional,
} from '@nestjs/common';
import type {
  AttachmentView,
  CallSummary,
  EncryptedPayload,
  MessageType,
  MessageView,
  SendMessageBody,
} from '@chat/shared-dto';
import { DEFAULT_LIMITS, ENCRYPTED_MIME_TYPE } from '@chat/shared-dto';
import { MembershipService } from '../conversations/membership.service';
import { AppConfig } from '../core/config/app-config';
import { APP_CONFIG } from '../core/config/config.module';
import { DomainEvents } from '../core/events/domain-events';
import { KeysService } from '../keys/keys.service';
import { UploadsService } from '../upload/uploads.service';
import { MESSAGE_CREATED } from './message.events';
import { BlocksService } from '../users/blocks.service';
import { UsersService } from '../users/users.service';
import { textContent } from './message-content';
import { MessageRow, toMessageView } from './message.mapper';
import { mentionedUsernames } from './mentions';
import { MessageWriter } from './message-writer';
import { searchPositions } from './message-search';
import { MessagesRepository, SearchPosition, WordQuery } from './messages.repository';

export interface SendResult {
  message: MessageView;
  /** True when this clientId was already stored: nothing new was written or broadcast. */
  duplicate: boolean;
}

export interface HistoryQuery {
  limit?: number;
  before?: number;
  after?: number;
  around?: number;
  changedSince?: number;
}

/** Conversations whose kind is remembered; a kind never changes, so the map is never stale. */
const MAX_KNOWN_KINDS = 100_000;

@Injectable()
export class MessagesService {
  private readonly direct = new Map<string, boolean>();

  constructor(
    private readonly repository: MessagesRepository,
    private readonly membership: MembershipService,
    private readonly writer: MessageWriter,
    private readonly events: DomainEvents,
    private readonly users: UsersService,
    private readonly blocks: BlocksService,
    private readonly keys: KeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly uploads?: UploadsService,
  ) {}

  /**
   * Stores a message exactly once and only then tells the members: the writer commits it
   * (group commit, gap-free seq, refused if the sender's removal committed first), a resend of
   * a known clientId resolves to the first message and is neither stored nor announced again.
   */
  async send(
    senderId: string,
    conversationId: string,
    body: SendMessageBody,
    exceptSocketId?: string,
  ): Promise<SendResult> {
    const receivedAt = performance.now();
    const members = await this.membership.assertMember(conversationId, senderId);
    const direct = await this.isDirect(conversationId);
    const { content, type, fileUrl, attachment } = body.encrypted
      ? await this.normaliseEncrypted(senderId, members, body, body.encrypted, direct)
      : await this.normalise(senderId, body);
    if (body.replyToId) await this.seqOf(conversationId, body.replyToId, 'replyToId');
    const { row, duplicate } = await this.writer.write({
      conversationId,
      senderId,
      clientId: body.clientId,
      content,
      type,
      fileUrl,
      replyToId: body.replyToId ?? null,
      mentions: await this.mentionsIn(content, members, senderId),
      direct,
      encrypted: body.encrypted ?? null,
    });
    const message = duplicate ? (await this.views([row]))[0] : toMessageView(row, [], attachment);
    if (!duplicate) {
      this.events.emit(MESSAGE_CREATED, {
        message,
        memberIds: [...members],
        originSocketId: exceptSocketId,
        receivedAt,
      });
    }
    return { message, duplicate };
  }

  /**
   * The line a conversation shows when `userId` switched on end-to-end encryption, written like
   * any send in their name; its clientId is fixed, so it is recorded once per conversation.
   */
  async recordEncryptionEnabled(
    userId: string,
    conversationId: string,
    name: string,
  ): Promise<void> {
    const members = await this.membership.members(conversationId);
    const { row, duplicate } = await this.writer.write({
      conversationId,
      senderId: userId,
      clientId: `e2e-on:${conversationId}`,
      content: `${name} turned on end-to-end encryption`,
      type: 'system',
      fileUrl: null,
      replyToId: null,
      mentions: [],
      direct: true,
    });
    if (duplicate) return;
    this.events.emit(MESSAGE_CREATED, { message: toMessageView(row), memberIds: [...members] });
  }

  /**
   * The message a call leaves when it ends, written like any send (a seq, every device, history)
   * in the caller's name. Its clientId is the call's, so an end handled twice records it once.
   */
  async recordCall(callerId: string, conversationId: string, call: CallSummary): Promise<void> {
    const members = await this.membership.members(conversationId);
    const { row, duplicate } = await this.writer.write({
      conversationId,
      senderId: callerId,
      clientId: `call:${call.callId}`,
      content: '',
      type: 'call',
      fileUrl: null,
      replyToId: null,
      mentions: [],
      // Calls are direct only; a block since the call began keeps it out of the history too.
      direct: true,
      call,
    });
    if (duplicate) return;
    this.events.emit(MESSAGE_CREATED, { message: toMessageView(row), memberIds: [...members] });
  }

  /**
   * A page of history in ascending seq (newest, older than `before`, or newer than `after`), or
   * the change feed in ascending rev (`changedSince`).
   */
  async history(
    userId: string,
    conversationId: string,
    query: HistoryQuery,
  ): Promise<MessageView[]> {
    await this.membership.assertMember(conversationId, userId);
    const given = [query.before, query.after, query.around, query.changedSince].filter(
      (v) => v !== undefined,
    );
    if (given.length > 1) {
      throw new BadRequestException('use one of before, after, around and changedSince');
    }
    const limit = query.limit ?? DEFAULT_LIMITS.historyPageDefault;
    if (query.around !== undefined) {
      const older = Math.floor(limit / 2);
      const [before, from] = await Promise.all([
        this.repository.before(conversationId, query.around, older),
        this.repository.after(conversationId, query.around - 1, limit - older),
      ]);
      return this.views([...before, ...from]);
    }
    const rows =
      query.changedSince !== undefined
        ? await this.repository.changedSince(conversationId, query.changedSince, limit)
        : query.after !== undefined
          ? await this.repository.after(conversationId, query.after, limit)
          : await this.repository.before(
              conversationId,
              query.before ?? Number.MAX_SAFE_INTEGER,
              limit,
            );
    return this.views(rows);
  }

  /** The message at each conversation's last seq, by conversation (none for an empty one). */
  async lastMessages(
    positions: { conversationId: string; seq: number }[],
  ): Promise<Map<string, MessageView>> {
    const wanted = positions.filter((p) => p.seq > 0);
    if (wanted.length === 0) return new Map();
    const views = await this.views(await this.repository.at(wanted));
    return new Map(views.map((view) => [view.conversationId, view]));
  }

  /**
   * Full-text matches in these conversations, newest first, each with its exact place in that
   * order (the next page's cursor). See `searchPositions` for how they are found.
   */
  async search(
    conversationIds: string[],
    words: WordQuery,
    cursor: SearchPosition | null,
    limit: number,
  ): Promise<{ message: MessageView; position: SearchPosition }[]> {
    if (conversationIds.length === 0) return [];
    const positions = await searchPositions(this.repository, conversationIds, words, cursor, limit);
    if (positions.length === 0) return [];
    const views = await this.views(
      await this.repository.byIdsNewestFirst(positions.map((p) => p.id)),
    );
    const byId = new Map(views.map((view) => [view.id, view]));
    // A match deleted between the two reads is left out rather than shown empty.
    return positions.flatMap((position) => {
      const message = byId.get(position.id);
      return message && !message.deletedAt ? [{ message, position }] : [];
    });
  }

  /**
   * Per conversation, the unread messages that are not news (tombstones and system lines, not
   * counted as unread) and the unread ones that mention the caller.
   */
  async unreadDetails(
    userId: string,
    unread: { conversationId: string; afterSeq: number }[],
  ): Promise<Map<string, { notNews: number; mentions: number }>> {
    const rows = await this.repository.unreadDetails(userId, unread);
    return new Map(
      rows.map((r) => [
        r.conversation_id,
        { notNews: Number(r.not_news), mentions: Number(r.mentions) },
      ]),
    );
  }

  /** `unreadDetails` of one conversation for many of its members at once, by user id. */
  async unreadDetailsOfMembers(
    conversationId: string,
    unread: { userId: string; afterSeq: number }[],
  ): Promise<Map<string, { notNews: number; mentions: number }>> {
    const rows = await this.repository.unreadDetailsOfMembers(conversationId, unread);
    return new Map(
      rows.map((r) => [r.user_id, { notNews: Number(r.not_news), mentions: Number(r.mentions) }]),
    );
  }

  /**
   * The seq of a message of this conversation; 404 when there is no such message, or a 400
   * naming the field when the id came from a body.
   */
  async seqOf(conversationId: string, messageId: string, field?: string): Promise<number> {
    const seq = await this.repository.seqOf(conversationId, messageId);
    if (seq !== null) return seq;
    if (field) throw new BadRequestException(`${field} must be a message of this conversation`);
    throw new NotFoundException('Message not found');
  }

  private async normalise(
    senderId: string,
    body: SendMessageBody,
  ): Promise<{
    content: string;
    type: MessageType;
    fileUrl: string | null;
    attachment: AttachmentView | null;
  }> {
    const type = body.type ?? 'text';
    const content = textContent(body.content, this.config.limits.maxMessageLength, type !== 'text');
    if (type === 'text') {
      if (body.fileUrl) throw new BadRequestException('fileUrl is only for attachment messages');
      return { content, type, fileUrl: null, attachment: null };
    }
    if (!body.fileUrl) throw new BadRequestException(`fileUrl is required for ${type} messages`);
    // The sender must be the uploader, of an upload of the kind the message type says.
    const attachment = this.uploads
      ? await this.uploads.findOwnedAttachment(senderId, body.fileUrl, type)
      : null;
    if (!attachment || attachment.mimeType === ENCRYPTED_MIME_TYPE) {
      const what = { image: 'an image', file: 'a file', voice: 'a voice recording' }[type];
      throw new BadRequestException(`fileUrl must be ${what} you uploaded to this server`);
    }
    return { content, type, fileUrl: attachment.url, attachment };
  }

  /**
   * An encrypted send: no plaintext, envelopes for exactly the devices there are, and a file
   * only as the ciphertext the sender uploaded (`POST /api/upload?encrypted=true`).
   */
  private async normaliseEncrypted(
    senderId: string,
    members: Set<string>,
    body: SendMessageBody,
    encrypted: EncryptedPayload,
    direct: boolean,
  ): Promise<{
    content: string;
    type: MessageType;
    fileUrl: string | null;
    attachment: AttachmentView | null;
  }> {
    if (!direct)
      throw new BadRequestException('Only direct conversations are end-to-end encrypted');
    if (body.content)
      throw new BadRequestException('An encrypted message carries no plaintext content');
    const type = body.type ?? 'text';
    if (type !== 'text' && type !== 'file')
      throw new BadRequestException('An encrypted message is of type text or file');
    await this.keys.assertCoversDevices(members, senderId, encrypted);
    if (type === 'text') {
      if (body.fileUrl) throw new BadRequestException('fileUrl is only for attachment messages');
      return { content: '', type, fileUrl: null, attachment: null };
    }
    const attachment =
      body.fileUrl && this.uploads
        ? await this.uploads.findOwnedAttachment(senderId, body.fileUrl, 'file')
        : null;
    if (attachment?.mimeType !== ENCRYPTED_MIME_TYPE)
      throw new BadRequestException('fileUrl must be a file you uploaded encrypted to this server');
    return { content: '', type, fileUrl: attachment.url, attachment };
  }

  /**
   * 403 when `userId` writes into a direct conversation whose other member blocked them: edits
   * and reactions are writing too. Sends check it inside their batch statement instead.
   */
  async assertNotBarred(
    conversationId: string,
    userId: string,
    members: Set<string>,
  ): Promise<void> {
    if (!(await this.isDirect(conversationId))) return;
    await this.blocks.assertNotBlockedBy(
      userId,
      [...members].filter((id) => id !== userId),
    );
  }

  /** Whether sends to it must check blocks: asked once per conversation and instance. */
  private async isDirect(conversationId: string): Promise<boolean> {
    const known = this.direct.get(conversationId);
    if (known !== undefined) return known;
    const direct = await this.repository.isDirect(conversationId);
    if (this.direct.size >= MAX_KNOWN_KINDS) this.direct.clear();
    this.direct.set(conversationId, direct);
    return direct;
  }

  /** The members a content names as `@username` (never the sender). */
  async mentionsIn(content: string, members: Set<string>, senderId: string): Promise<string[]> {
    const names = mentionedUsernames(content);
    if (names.length === 0) return [];
    const users = await this.users.findByUsernames(names);
    return users.map((u) => u.id).filter((id) => members.has(id) && id !== senderId);
  }

  /** Views of stored rows, with their reactions (plain or encrypted) and attachments. */
  async views(rows: MessageRow[]): Promise<MessageView[]> {
    const fileUrls = rows.flatMap((r) => (r.file_url ? [r.file_url] : []));
    const encryptedIds = rows.flatMap((r) => (r.encrypted ? [r.id] : []));
    const [reactions, attachments, encryptedReactions] = await Promise.all([
      this.repository.reactionsOf(rows.map((r) => r.id)),
      fileUrls.length > 0 && this.uploads
        ? this.uploads.attachmentsOf(fileUrls)
        : new Map<string, AttachmentView>(),
      this.repository.encryptedReactionsOf(encryptedIds),
    ]);
    return rows.map((row) =>
      toMessageView(
        row,
        reactions.get(row.id),
        row.file_url ? (attachments.get(row.file_url) ?? null) : null,
        encryptedReactions.get(row.id),
      ),
    );
  }
}
