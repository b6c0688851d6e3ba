import { Injectable, inject, signal } from '@angular/core';
import type {
  AttachmentView,
  EncryptedAttachmentContent,
  EncryptedMessageContent,
  EncryptedPayload,
  EncryptedReactionContent,
  EncryptedReactionView,
  MessageView,
  ReactionSummary,
  UploadMimeType,
} from '@chat/shared-dto';
import { attachmentWord } from '../shared/attachment-word';
import { E2eCipherService } from './cipher.service';
import type { DecryptResult } from './e2e-cipher';
import { E2eAttachmentsService } from './e2e-attachments.service';

/** How far a message of an encrypted conversation got on this device. */
export type E2eStatus = 'pending' | 'ok' | 'no-key' | 'failed';

export type E2eView<T> = { state: 'pending' } | DecryptResult<T>;

/** A message as the timeline draws it: its decrypted text and file in place of the ciphertext. */
export type RevealedMessage = MessageView & {
  /** Set on messages of an encrypted conversation. */
  e2e?: E2eStatus;
};

const RETRY_MS = 5000;

function payloadKey(prefix: string, payload: EncryptedPayload): string {
  // The first envelope is the same for every reader and differs for every encryption.
  return `${prefix}|${payload.senderDeviceId}|${payload.envelopes[0]?.body ?? ''}`;
}

export function messageKey(message: Pick<MessageView, 'id' | 'encrypted'>): string | null {
  return message.encrypted ? payloadKey(`m:${message.id}`, message.encrypted) : null;
}

function reactionKey(messageId: string, reactions: EncryptedReactionView): string {
  return payloadKey(`r:${messageId}:${reactions.userId}`, reactions.encrypted);
}

interface Job {
  key: string;
  seq: number;
  run: () => Promise<E2eView<unknown>>;
}

/**
 * Plaintexts of the encrypted messages this session has seen, decrypted once each in the
 * background (oldest first, one at a time: the ratchet advances in order) and kept in memory
 * as a signal for the timeline, reply quotes and the conversation list. The IndexedDB cache
 * behind the cipher makes a reload or a history page show text again.
 */
@Injectable({ providedIn: 'root' })
export class DecryptedStore {
  private readonly cipher = inject(E2eCipherService);
  private readonly attachments = inject(E2eAttachmentsService);
  private readonly results = signal<ReadonlyMap<string, E2eView<unknown>>>(new Map());
  /** The newest decrypted text per message id, for reply quotes of messages not loaded. */
  private readonly texts = new Map<string, EncryptedMessageContent>();
  private readonly queued = new Set<string>();
  private queue: Job[] = [];
  private pumping = false;
  private generation = 0;
  private readonly revealed = new WeakMap<MessageView, { deps: unknown[]; out: RevealedMessage }>();

  /** Queues the decryption of these messages and their reaction sets (what is not known yet). */
  ensure(messages: readonly (MessageView | null | undefined)[]): void {
    const known = this.results();
    const jobs: Job[] = [];
    for (const message of messages) {
      if (!message?.encrypted || message.deletedAt) continue;
      const key = messageKey(message);
      if (key && !known.has(key) && !this.queued.has(key)) {
        const ref = message;
        jobs.push({ key, seq: message.seq, run: () => this.cipher.decryptMessage(ref) });
      }
      for (const reactions of message.encryptedReactions ?? []) {
        const rKey = reactionKey(message.id, reactions);
        if (known.has(rKey) || this.queued.has(rKey)) continue;
        jobs.push({
          key: rKey,
          // After the message itself: a reaction can come from a session the message started.
          seq: message.seq + 0.5,
          run: () => this.cipher.decryptReactions(message.id, reactions),
        });
      }
    }
    if (!jobs.length) return;
    jobs.sort((a, b) => a.seq - b.seq);
    for (const job of jobs) this.queued.add(job.key);
    this.queue.push(...jobs);
    void this.pump();
  }

  /** What this device just sent or edited: known without a round trip through the cache. */
  prime(message: MessageView, content: EncryptedMessageContent): void {
    const key = messageKey(message);
    if (key) this.store(key, { state: 'ok', content });
  }

  primeReactions(messageId: string, reactions: EncryptedReactionView, emojis: string[]): void {
    this.store(reactionKey(messageId, reactions), {
      state: 'ok',
      content: { v: 1, emojis } satisfies EncryptedReactionContent,
    });
  }

  /** The state of a message's plaintext (null: not an encrypted message). */
  message(message: MessageView): E2eView<EncryptedMessageContent> | null {
    const key = messageKey(message);
    if (!key) return null;
    return (
      (this.results().get(key) as E2eView<EncryptedMessageContent> | undefined) ?? {
        state: 'pending',
      }
    );
  }

  /** Reactions of an encrypted message, aggregated from each member's decrypted set. */
  reactions(message: MessageView): ReactionSummary[] {
    const byEmoji = new Map<string, string[]>();
    for (const reactions of message.encryptedReactions ?? []) {
      const view = this.results().get(reactionKey(message.id, reactions)) as
        E2eView<EncryptedReactionContent> | undefined;
      if (view?.state !== 'ok') continue;
      for (const emoji of new Set(view.content.emojis)) {
        byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), reactions.userId]);
      }
    }
    return [...byEmoji].map(([emoji, userIds]) => ({ emoji, count: userIds.length, userIds }));
  }

  /**
   * Messages with their plaintext in place (`content`, the real attachment kind, an object URL
   * for the file, reactions and reply excerpts), each copy kept while nothing it shows changed
   * so the timeline's per-message caches keep working.
   */
  reveal(messages: readonly MessageView[]): readonly RevealedMessage[] {
    let changed = false;
    const out = messages.map((message) => {
      const next = this.revealOne(message);
      if (next !== message) changed = true;
      return next;
    });
    return changed ? out : messages;
  }

  revealOne(message: MessageView): RevealedMessage {
    if (!message.encrypted || message.deletedAt) return message;
    const view = this.message(message);
    const reactions = this.reactions(message);
    const content = view?.state === 'ok' ? view.content : null;
    const fileUrl = content?.attachment ? this.attachments.objectUrl(content.attachment) : null;
    const reply = message.replyTo ? this.texts.get(message.replyTo.id) : undefined;
    const deps = [view, JSON.stringify(reactions), fileUrl, reply];
    const held = this.revealed.get(message);
    if (held && held.deps.every((dep, i) => dep === deps[i])) return held.out;
    const result: RevealedMessage = {
      ...message,
      content: content?.text ?? '',
      e2e: view?.state ?? 'pending',
      reactions,
      replyTo: message.replyTo
        ? {
            ...message.replyTo,
            excerpt: reply
              ? reply.text.slice(0, 140) || attachmentWordFor(reply.attachment)
              : '🔒 Encrypted message',
          }
        : message.replyTo,
    };
    if (content?.attachment) {
      const attachment = toAttachmentView(content.attachment, fileUrl);
      result.type = content.attachment.kind;
      result.attachment = attachment;
      result.fileUrl = fileUrl;
      result.thumbnailUrl = null;
    } else {
      // The server's attachment is the ciphertext ("encrypted", octet-stream): never shown.
      result.attachment = null;
      result.fileUrl = null;
      result.thumbnailUrl = null;
    }
    this.revealed.set(message, { deps, out: result });
    return result;
  }

  /** What the conversation list shows for an encrypted last message. */
  preview(message: MessageView): { text: string; type: MessageView['type'] } {
    const view = this.message(message);
    if (view?.state !== 'ok') return { text: '🔒 Encrypted message', type: message.type };
    const attachment = view.content.attachment;
    return {
      text: view.content.text || attachmentWordFor(attachment),
      type: attachment?.kind ?? 'text',
    };
  }

  reset(): void {
    this.generation++;
    this.pumping = false;
    this.queue = [];
    this.queued.clear();
    this.texts.clear();
    this.results.set(new Map());
    this.attachments.reset();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const generation = this.generation;
    try {
      while (this.queue.length && generation === this.generation) {
        const job = this.queue[0];
        let result: E2eView<unknown>;
        try {
          result = await job.run();
        } catch {
          // The device is not registered (yet): keep the queue and try again shortly.
          setTimeout(() => {
            if (generation === this.generation) void this.pump();
          }, RETRY_MS);
          return;
        }
        if (generation !== this.generation) return;
        this.queue.shift();
        this.queued.delete(job.key);
        this.store(job.key, result);
      }
    } finally {
      // After a reset a newer pump may already run: only this generation's flag is ours.
      if (generation === this.generation) this.pumping = false;
    }
  }

  private store(key: string, view: E2eView<unknown>): void {
    if (view.state === 'ok' && key.startsWith('m:')) {
      const id = key.slice(2, key.indexOf('|'));
      this.texts.set(id, view.content as EncryptedMessageContent);
    }
    this.results.update((results) => new Map(results).set(key, view));
  }
}

function toAttachmentView(
  attachment: EncryptedAttachmentContent,
  url: string | null,
): AttachmentView {
  return {
    url: url ?? '',
    kind: attachment.kind,
    name: attachment.name,
    size: attachment.size,
    // Whatever the sender claimed: it only picks an icon and the blob's type here.
    mimeType: attachment.mimeType as UploadMimeType,
    width: attachment.width,
    height: attachment.height,
    durationMs: attachment.durationMs,
    waveform: attachment.waveform,
  };
}

function attachmentWordFor(attachment: EncryptedAttachmentContent | undefined): string {
  return attachment ? attachmentWord(attachment.kind, attachment) : '';
}
