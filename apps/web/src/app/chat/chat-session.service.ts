import { Injectable, inject } from '@angular/core';
import { Router } from '@angular/router';
import type {
  ConversationView,
  EncryptedAttachmentContent,
  EncryptedMessageContent,
  MessageView,
  SendMessagePayload,
  ReceiptEvent,
  ReplyPreview,
  UploadView,
  UserUpdatedEvent,
} from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../core/auth/auth.store';
import { parseHttpError } from '../core/http/http-error';
import { ConversationsApi } from './conversations/conversations.api';
import { ConversationsStore } from './conversations/conversations.store';
import { VerificationStore } from './verification/verification.store';
import { E2eCipherService } from './e2e/cipher.service';
import { NO_RECIPIENT_DEVICE, NoRecipientDevice } from './e2e/e2e-cipher';
import { DecryptedStore } from './e2e/decrypted.store';
import { E2eDeviceService } from './e2e/device.service';
import { E2eAttachmentsService } from './e2e/e2e-attachments.service';
import { newClientId } from './messages/client-id';
import { MessagesStore } from './messages/messages.store';
import type { OutboxEntry, SendOutcome } from './messages/outbox';
import { toPayload } from './messages/outbox';
import { OutboxService } from './messages/outbox.service';
import { TypingStore } from './messages/typing.store';
import type { FileSecret, VoiceDetails } from './messages/uploads.store';
import { likelyKind } from './messages/upload.api';
import { UploadsStore } from './messages/uploads.store';
import { OfflineSnapshotService } from './offline/offline-snapshot.service';
import { BlocksStore } from './profile/blocks.store';
import { RealtimeService } from './realtime/realtime.service';

const TYPING_THROTTLE_MS = 3000;
const TYPING_IDLE_MS = 4000;
const RECEIPT_DEBOUNCE_MS = 120;
const PERMANENT_ERRORS = new Set(['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/**
 * Wires the socket to the stores for one logged-in session: live events in, sends (through the
 * outbox), receipts and typing out, and the catch-up after every reconnect.
 */
@Injectable()
export class ChatSession {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly api = inject(ConversationsApi);
  private readonly realtime = inject(RealtimeService);
  private readonly conversations = inject(ConversationsStore);
  private readonly messages = inject(MessagesStore);
  private readonly outbox = inject(OutboxService);
  private readonly typing = inject(TypingStore);
  private readonly uploads = inject(UploadsStore);
  private readonly snapshot = inject(OfflineSnapshotService);
  private readonly blocks = inject(BlocksStore);
  private readonly e2eDevice = inject(E2eDeviceService);
  private readonly e2eCipher = inject(E2eCipherService);
  private readonly verification = inject(VerificationStore);
  private readonly decrypted = inject(DecryptedStore);
  private readonly e2eAttachments = inject(E2eAttachmentsService);

  private offs: (() => void)[] = [];
  private selfId: string | null = null;
  private readonly deliveredSent = new Map<string, number>();
  private readonly deliveredQueue = new Map<string, MessageView>();
  private deliveredTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly readSent = new Map<string, number>();
  private readonly ownTyping = new Map<
    string,
    { lastStart: number; idle: ReturnType<typeof setTimeout> }
  >();
  private listRequest = 0;
  /** The socket connection, for components (which never touch the socket itself). */
  readonly connection = this.realtime.status;
  /** Why the last connection attempt failed, while it is down. */
  readonly connectionFailure = this.realtime.failure;
  private started = false;

  start(): void {
    const token = this.auth.token();
    const selfId = this.auth.userId();
    if (!token || !selfId || this.started) return;
    this.started = true;
    this.selfId = selfId;
    this.outbox.start(
      selfId,
      (entry) => this.deliver(entry),
      () => this.realtime.connected,
    );
    this.snapshot.start(selfId);
    // This browser's keys: prepared in the background, after the list has had its turn.
    this.e2eDevice.start(selfId);
    void this.loadConversations();
    void this.blocks.load();
    this.realtime.connect(token, {
      connected: (first) => this.onConnected(first),
      unauthorized: () => this.auth.expire(),
      kicked: () => void this.onKicked(),
    });
    this.listen();
  }

  stop(wipeOutbox = false): void {
    if (!this.started) return;
    this.started = false;
    for (const off of this.offs) off();
    this.offs = [];
    for (const state of this.ownTyping.values()) clearTimeout(state.idle);
    this.ownTyping.clear();
    if (this.deliveredTimer) clearTimeout(this.deliveredTimer);
    this.deliveredTimer = null;
    this.deliveredQueue.clear();
    this.deliveredSent.clear();
    this.readSent.clear();
    this.realtime.disconnect();
    this.outbox.stop(wipeOutbox);
    this.snapshot.stop(wipeOutbox);
    this.uploads.reset();
    this.typing.reset();
    this.messages.reset();
    this.conversations.reset();
    this.blocks.reset();
    this.decrypted.reset();
    this.e2eDevice.stop();
  }

  /** `GET /api/conversations`; newer requests win over older ones. */
  async loadConversations(): Promise<void> {
    const request = ++this.listRequest;
    try {
      const list = await firstValueFrom(this.api.list());
      if (request !== this.listRequest || !this.started) return;
      this.conversations.setAll(list);
      this.decrypted.ensure(list.filter((c) => c.encrypted).map((c) => c.lastMessage));
      this.snapshot.confirmed();
      // Sends written before the list arrived were waiting for it (see deliver).
      if (this.outbox.entries().length) void this.outbox.flush();
      for (const conversation of list) this.acknowledgeDelivery(conversation);
    } catch (err) {
      if (request !== this.listRequest || !this.started) return;
      const error = parseHttpError(err);
      // Unreachable at start (no network, or the service worker's or a proxy's 502-504 for
      // it): what this device saved, read-only until the server answers.
      const unreachable = error.status === 0 || (error.status >= 502 && error.status <= 504);
      if (unreachable && !this.conversations.loaded() && this.snapshot.restore()) return;
      this.conversations.setError(error.message);
    }
  }

  /** Queues a text message; it shows at once as pending and goes out when the socket can take it. */
  sendText(conversationId: string, text: string, replyTo?: ReplyPreview): void {
    const content = text.trim();
    if (!content) return;
    this.stopTyping(conversationId);
    this.outbox.enqueue({
      clientId: newClientId(),
      conversationId,
      type: 'text',
      content,
      replyTo,
    });
  }

  /**
   * Uploads a file, then sends it as the message its stored kind calls for (an image, a
   * document or a voice note). Returns why the file was refused before any upload, or null.
   */
  sendAttachment(conversationId: string, file: File, voice?: VoiceDetails): string | null {
    const clientId = newClientId();
    const conversation = this.conversations.get(conversationId);
    // Unknown yet (the list is loading): a file must not be uploaded in the clear by mistake.
    if (!conversation || this.snapshot.restoredAt())
      return 'This conversation is still loading: try again in a moment.';
    const encrypted = conversation.encrypted;
    return this.uploads.start(
      clientId,
      conversationId,
      file,
      (upload, secret) =>
        encrypted && secret
          ? this.enqueueSealedAttachment(clientId, conversationId, upload, file, secret, voice)
          : this.enqueueAttachment(clientId, conversationId, upload),
      voice,
      encrypted,
    );
  }

  retryUpload(clientId: string): void {
    const upload = this.uploads.uploads().find((item) => item.clientId === clientId);
    const held = this.uploads.file(clientId);
    if (!upload || !held) return;
    this.uploads.retry(clientId, (stored, secret) =>
      secret
        ? this.enqueueSealedAttachment(
            clientId,
            upload.conversationId,
            stored,
            held.file,
            secret,
            held.voice,
          )
        : this.enqueueAttachment(clientId, upload.conversationId, stored),
    );
  }

  /**
   * An attachment of an encrypted conversation: the server holds its ciphertext (`fileUrl`);
   * what it really is, and the key that opens it, go inside the encrypted content. The sender
   * shows its own copy from the bytes it has.
   */
  private enqueueSealedAttachment(
    clientId: string,
    conversationId: string,
    upload: UploadView,
    file: File,
    secret: FileSecret,
    voice?: VoiceDetails,
  ): void {
    const kind = voice ? 'voice' : likelyKind(file);
    const mimeType = file.type || 'application/octet-stream';
    const e2eAttachment: EncryptedAttachmentContent = {
      url: upload.url,
      kind,
      name: file.name || (kind === 'voice' ? 'voice' : 'file'),
      mimeType,
      size: file.size,
      key: secret.key,
      iv: secret.iv,
    };
    if (voice) {
      e2eAttachment.durationMs = voice.durationMs;
      e2eAttachment.waveform = [...voice.waveform];
    }
    this.e2eAttachments.adopt(upload.url, file);
    this.outbox.enqueue({
      clientId,
      conversationId,
      type: kind,
      content: '',
      fileUrl: upload.url,
      attachment: {
        url: '',
        kind,
        name: e2eAttachment.name,
        size: file.size,
        mimeType: 'application/octet-stream',
        durationMs: voice?.durationMs,
        waveform: voice ? [...voice.waveform] : undefined,
      },
      e2eAttachment,
    });
  }

  private enqueueAttachment(clientId: string, conversationId: string, upload: UploadView): void {
    this.outbox.enqueue({
      clientId,
      conversationId,
      type: upload.kind,
      content: '',
      fileUrl: upload.url,
      thumbnailUrl: upload.thumbnailUrl,
      attachment: upload,
    });
  }

  /** Emits `typing:start` at most every 3 s while the user types, and `typing:stop` when idle. */
  typingActivity(conversationId: string): void {
    const now = Date.now();
    const state = this.ownTyping.get(conversationId);
    if (state) clearTimeout(state.idle);
    const idle = setTimeout(() => this.stopTyping(conversationId), TYPING_IDLE_MS);
    if (!state || now - state.lastStart >= TYPING_THROTTLE_MS) {
      this.ownTyping.set(conversationId, { lastStart: now, idle });
      void this.realtime.emit('typing:start', { conversationId });
    } else {
      this.ownTyping.set(conversationId, { ...state, idle });
    }
  }

  stopTyping(conversationId: string): void {
    const state = this.ownTyping.get(conversationId);
    if (!state) return;
    clearTimeout(state.idle);
    this.ownTyping.delete(conversationId);
    void this.realtime.emit('typing:stop', { conversationId });
  }

  /**
   * The conversation is on screen, the tab visible and the newest message in view: tell the
   * server it is read (once per seq), and clear the unread badge.
   */
  markRead(conversationId: string): void {
    const newest =
      this.messages.newest(conversationId) ?? this.conversations.get(conversationId)?.lastMessage;
    if (!newest || !this.realtime.connected) return;
    const { read } = this.conversations.ownWatermarks(conversationId, this.selfId);
    const conversation = this.conversations.get(conversationId);
    if (newest.seq <= read && !conversation?.unreadCount) return;
    if ((this.readSent.get(conversationId) ?? 0) >= newest.seq) {
      if (conversation?.unreadCount)
        this.conversations.markReadLocal(conversationId, newest.seq, this.selfId);
      return;
    }
    this.readSent.set(conversationId, newest.seq);
    this.conversations.markReadLocal(conversationId, newest.seq, this.selfId);
    void this.realtime
      .emit('message:read', { conversationId, messageId: newest.id })
      .then((ack) => {
        if (!ack.ok && (this.readSent.get(conversationId) ?? 0) === newest.seq)
          this.readSent.delete(conversationId);
      });
  }

  private listen(): void {
    const on = this.realtime.on.bind(this.realtime);
    this.offs.push(
      on('message:new', (message) => this.onMessage(message)),
      on('message:updated', (message) => this.applyUpdate(message)),
      on('message:delivered', (event) => this.onReceipt(event, 'delivered')),
      on('message:read', (event) => this.onReceipt(event, 'read')),
      on('typing:start', (event) => {
        if (event.userId !== this.selfId) this.typing.start(event.conversationId, event.userId);
      }),
      on('typing:stop', (event) => this.typing.stop(event.conversationId, event.userId)),
      on('user:online', (event) =>
        this.conversations.setPresence(event.userId, 'online', event.lastSeen),
      ),
      on('user:offline', (event) =>
        this.conversations.setPresence(
          event.userId,
          'offline',
          event.lastSeen ?? new Date().toISOString(),
        ),
      ),
      on('user:updated', (user) => this.onUserUpdated(user)),
      on('conversation:updated', (conversation) => this.onConversationUpdated(conversation)),
      on('conversation:removed', ({ conversationId }) =>
        this.onConversationRemoved(conversationId),
      ),
      on('keys:changed', ({ userId }) => this.onKeysChanged(userId)),
    );
  }

  private onConnected(first: boolean): void {
    // A list that failed to load (offline at start) loads once the server is reachable.
    if (first && this.conversations.error()) void this.loadConversations();
    // A restored snapshot is as stale as a long disconnect: resync it the same way.
    if (!first || this.snapshot.restoredAt()) {
      // Anything may have happened while we were away: list, threads, presence.
      void this.loadConversations();
      for (const id of this.messages.loadedIds()) {
        void this.messages.catchUp(id);
        void this.messages.replayChanges(id);
      }
    }
    // Offline at start: the blocked list loads once the server is reachable (else a no-op).
    void this.blocks.load();
    // Away for a while: this device may have been removed, or used up its one-time prekeys.
    if (!first) void this.e2eDevice.recheck();
    void this.outbox.flush();
  }

  private async onKicked(): Promise<void> {
    try {
      await this.auth.refreshUser();
      this.realtime.reconnect();
    } catch {
      // A 401 has already ended the session via the interceptor; otherwise try again shortly.
      if (this.started && this.auth.isLoggedIn()) setTimeout(() => this.realtime.reconnect(), 2000);
    }
  }

  private onMessage(message: MessageView): void {
    const own = message.senderId === this.selfId;
    if (own) this.outbox.settle(message.clientId);
    if (own) this.uploads.releasePreview(message.clientId);
    // Decrypted as it arrives, in order, whether or not its conversation is open.
    if (message.encrypted) this.decrypted.ensure([message]);
    this.messages.receive(message);
    const known = this.conversations.applyMessage(message, this.selfId, true);
    if (!known) void this.loadConversations();
    this.typing.stop(message.conversationId, message.senderId);
    if (!own) this.queueDelivered(message);
  }

  /** An edit, a tombstone or a reaction change (live, or the ack of one's own). */
  applyUpdate(message: MessageView): void {
    const held = this.messages.find(message.conversationId, message.id);
    // The ack and the broadcast of one's own change both arrive: count each change once.
    if (held && held.rev >= message.rev) return;
    if (message.encrypted) this.decrypted.ensure([message]);
    this.messages.applyUpdate(message);
    this.conversations.applyUpdate(message, held, this.selfId);
  }

  private onReceipt(event: ReceiptEvent, kind: 'delivered' | 'read'): void {
    this.conversations.applyReceipt(event, kind, this.selfId);
  }

  /** A profile changed (mine too, from another device): every copy of it follows. */
  private onUserUpdated(user: UserUpdatedEvent): void {
    this.conversations.applyProfile(user);
    this.blocks.applyProfile(user);
    const me = this.auth.user();
    if (user.id === this.selfId && me) this.auth.updateUser({ ...me, ...user });
  }

  /**
   * Someone (or this user) added or removed a device: the next encryption fetches the device
   * lists again, and the safety number of a peer of an encrypted chat is re-checked now, so a
   * key change shows its warning without waiting for the conversation to be reopened.
   */
  private onKeysChanged(userId: string): void {
    this.e2eCipher.forgetDevices([userId]).catch(() => undefined);
    if (userId === this.selfId) return;
    const encryptedWith = this.conversations
      .conversations()
      .some((c) => c.type === 'direct' && c.encrypted && c.members.some((m) => m.id === userId));
    if (!encryptedWith) return;
    void this.verification.checkPeer(userId);
    // Messages that waited for this person's first device go out now.
    for (const entry of this.outbox.entries()) {
      const conversation = this.conversations.get(entry.conversationId);
      if (
        entry.status === 'failed' &&
        entry.error === NO_RECIPIENT_DEVICE &&
        conversation?.members.some((m) => m.id === userId)
      )
        this.outbox.retry(entry.clientId);
    }
  }

  private onConversationUpdated(conversation: ConversationView): void {
    this.conversations.upsert(conversation);
    if (conversation.encrypted) this.decrypted.ensure([conversation.lastMessage]);
    this.acknowledgeDelivery(conversation);
  }

  /** The user left (or lost) a conversation: drop it here without waiting for the event. */
  forget(conversationId: string): void {
    this.onConversationRemoved(conversationId);
  }

  private onConversationRemoved(conversationId: string): void {
    this.conversations.remove(conversationId);
    this.messages.drop(conversationId);
    this.typing.reset();
    if (this.conversations.activeId() === conversationId) void this.router.navigateByUrl('/');
  }

  /** The newest message of a conversation from someone else reached this device. */
  private acknowledgeDelivery(conversation: ConversationView): void {
    const last = conversation.lastMessage;
    if (!last || last.senderId === this.selfId) return;
    const { delivered } = this.conversations.ownWatermarks(conversation.id, this.selfId);
    if (last.seq > delivered) this.queueDelivered(last);
  }

  /** Coalesces `message:delivered` per conversation to the highest seq within a short window. */
  private queueDelivered(message: MessageView): void {
    const queued = this.deliveredQueue.get(message.conversationId);
    if (queued && queued.seq >= message.seq) return;
    if ((this.deliveredSent.get(message.conversationId) ?? 0) >= message.seq) return;
    this.deliveredQueue.set(message.conversationId, message);
    this.deliveredTimer ??= setTimeout(() => this.flushDelivered(), RECEIPT_DEBOUNCE_MS);
  }

  private flushDelivered(): void {
    this.deliveredTimer = null;
    if (!this.realtime.connected) return; // onConnected -> loadConversations acknowledges again
    const batch = [...this.deliveredQueue.values()];
    this.deliveredQueue.clear();
    for (const message of batch) {
      this.deliveredSent.set(message.conversationId, message.seq);
      this.conversations.markDeliveredLocal(message.conversationId, message.seq, this.selfId);
      void this.realtime
        .emit('message:delivered', {
          conversationId: message.conversationId,
          messageId: message.id,
        })
        .then((ack) => {
          if (!ack.ok && this.deliveredSent.get(message.conversationId) === message.seq) {
            this.deliveredSent.delete(message.conversationId);
          }
        });
    }
  }

  /** One attempt of the outbox: `message:send` with its clientId, and the ack merged in. */
  private async deliver(entry: OutboxEntry): Promise<SendOutcome> {
    const conversation = this.conversations.get(entry.conversationId);
    // Whether to encrypt is a property of the conversation: never guess it (a plaintext send
    // into an encrypted conversation would leak the text to the server, which then refuses
    // it). The list loads soon after start; the outbox tries again meanwhile.
    // A list restored from this device's snapshot may predate encryption being switched on.
    if (!conversation || this.snapshot.restoredAt())
      return { ok: false, retry: true, error: 'Loading the conversation…' };
    if (conversation.encrypted) return this.deliverEncrypted(entry);
    const ack = await this.realtime.emit('message:send', toPayload(entry));
    if (ack.ok) return this.delivered(entry, ack.message);
    const { code, message } = ack.error;
    if (PERMANENT_ERRORS.has(code))
      return { ok: false, retry: false, error: message || 'Not sent' };
    return { ok: false, retry: true, error: message || code };
  }

  private delivered(entry: OutboxEntry, message: MessageView): SendOutcome {
    this.uploads.releasePreview(entry.clientId);
    this.messages.receive(message);
    this.conversations.applyMessage(message, this.selfId, false);
    return { ok: true, message };
  }

  /**
   * An attempt in an end-to-end encrypted conversation: the text (and file key) encrypted for
   * every device of both members, `encrypted` instead of `content`. Encrypted afresh on every
   * attempt (the same clientId keeps the server's dedupe); a CONFLICT ack means the device lists
   * moved on: refetched, encrypted again, sent once more at once, then left to the outbox.
   */
  private async deliverEncrypted(entry: OutboxEntry): Promise<SendOutcome> {
    const conversation = this.conversations.get(entry.conversationId);
    if (!conversation) return { ok: false, retry: false, error: 'Not sent' };
    const content: EncryptedMessageContent = { v: 1, text: entry.content };
    if (entry.e2eAttachment) content.attachment = entry.e2eAttachment;
    for (let attempt = 0; attempt < 2; attempt++) {
      let payload: SendMessagePayload;
      try {
        const encrypted = await this.e2eCipher.encryptFor(
          conversation,
          content,
          [`c:${entry.clientId}`],
          attempt > 0,
        );
        payload = {
          conversationId: entry.conversationId,
          clientId: entry.clientId,
          type: entry.e2eAttachment ? 'file' : 'text',
          encrypted,
        };
        if (entry.fileUrl) payload.fileUrl = entry.fileUrl;
        if (entry.replyTo) payload.replyToId = entry.replyTo.id;
      } catch (err) {
        // Nobody to encrypt for: shown as waiting, and sent again when their first device
        // registers (`keys:changed`), or by hand.
        if (err instanceof NoRecipientDevice)
          return { ok: false, retry: false, error: err.message };
        // Keys still being generated, or the directory unreachable: the outbox tries again.
        const reason = err instanceof Error ? err.message : String(err);
        return { ok: false, retry: true, error: `Encrypting: ${reason}` };
      }
      const ack = await this.realtime.emit('message:send', payload);
      if (ack.ok) {
        this.decrypted.prime(ack.message, content);
        return this.delivered(entry, ack.message);
      }
      const { code, message } = ack.error;
      if (code === 'CONFLICT') continue;
      // "senderDeviceId is not one of your devices": this device was removed (from another
      // one) during the session. Registered anew, it can send again.
      if (code === 'BAD_REQUEST' && attempt === 0 && (await this.e2eDevice.recheck())) continue;
      if (PERMANENT_ERRORS.has(code))
        return { ok: false, retry: false, error: message || 'Not sent' };
      return { ok: false, retry: true, error: message || code };
    }
    return { ok: false, retry: true, error: 'The devices of this conversation keep changing' };
  }
}
