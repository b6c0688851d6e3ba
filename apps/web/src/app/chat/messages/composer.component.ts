import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ConversationMemberView, ReplyPreview } from '@chat/shared-dto';
import { clockDuration } from '../shared/format';
import { IconComponent } from '../../shared/icon.component';
import { ChatSession } from '../chat-session.service';
import { AuthStore } from '../../core/auth/auth.store';
import { Drafts } from './drafts';
import { MentionAutocompleteComponent } from './mention-autocomplete.component';
import type { MentionCandidate, MentionQuery } from './mentions';
import { filterMentionCandidates, insertMention, mentionAt } from './mentions';
import { MessageActions } from './message-actions.service';
import { ReplyQuoteComponent } from './reply-quote.component';
import type { DisplayMessage } from './timeline';
import { attachmentWord } from '../shared/attachment-word';
import { extensionLabel } from './file-type-label';
import { PICKER_ACCEPT, checkAttachment, likelyKind } from './upload.api';
import { formatBytes } from './upload-limit';
import type { VoiceRecording } from './voice-recorder.service';
import { VoiceRecorderService } from './voice-recorder.service';

export const MAX_MESSAGE_LENGTH = 4000;
const MAX_STAGED = 10;

/** The message being edited in place of a new one. */
interface EditTarget {
  conversationId: string;
  messageId: string;
  original: string;
  /** What was in the composer before, given back when the edit ends. */
  stash: string;
}

interface ReplyTarget {
  preview: ReplyPreview;
  senderName: string;
}

interface StagedFile {
  id: number;
  file: File;
  /** A local preview, for images only. */
  url: string | null;
}

const DRAFT_SAVE_MS = 300;

@Component({
  selector: 'chat-composer',
  imports: [IconComponent, MentionAutocompleteComponent, ReplyQuoteComponent],
  providers: [VoiceRecorderService],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './composer.component.html',
  styleUrl: './composer.component.css',
})
export class ComposerComponent {
  private readonly session = inject(ChatSession);
  private readonly userId = inject(AuthStore).userId;
  private drafts: Drafts | null = null;
  private draftTimer: ReturnType<typeof setTimeout> | null = null;
  readonly conversationId = input.required<string>();
  /** Who can be mentioned with `@`. */
  readonly members = input<readonly ConversationMemberView[]>([]);
  readonly selfId = input<string | null>(null);
  /** An end-to-end encrypted conversation: the placeholder says so. */
  readonly encrypted = input(false);
  /** Up arrow in an empty composer: edit the user's last message. */
  readonly editLast = output<void>();
  private readonly actions = inject(MessageActions);

  private readonly textarea = viewChild.required<ElementRef<HTMLTextAreaElement>>('textarea');
  private readonly fileInput = viewChild.required<ElementRef<HTMLInputElement>>('fileInput');
  protected readonly text = signal('');
  protected readonly staged = signal<readonly StagedFile[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly accept = PICKER_ACCEPT;
  protected readonly fileLabel = extensionLabel;
  protected readonly fileSize = formatBytes;
  protected readonly attachmentWord = attachmentWord;
  protected readonly length = computed(() => this.text().trim().length);
  protected readonly tooLong = computed(() => this.length() > MAX_MESSAGE_LENGTH);
  protected readonly canSend = computed(
    () => (this.length() > 0 && !this.tooLong()) || (this.staged().length > 0 && !this.tooLong()),
  );
  protected readonly recorder = inject(VoiceRecorderService);
  protected readonly recording = computed(() => this.recorder.state() !== 'idle');
  /** The send button becomes a microphone while there is nothing to send, as in WhatsApp. */
  protected readonly canRecord = computed(
    () =>
      this.recorder.supported &&
      this.length() === 0 &&
      this.staged().length === 0 &&
      this.editing() === null,
  );
  protected readonly clock = clockDuration;
  protected readonly editing = signal<EditTarget | null>(null);
  protected readonly replying = signal<ReplyTarget | null>(null);
  protected readonly saving = signal(false);
  protected readonly mention = signal<MentionQuery | null>(null);
  protected readonly mentionIndex = signal(0);
  protected readonly candidates = computed(() => {
    const mention = this.mention();
    return mention ? filterMentionCandidates(this.members(), mention.query, this.selfId()) : [];
  });
  private nextId = 1;
  private previous: string | null = null;

  constructor() {
    effect(() => {
      const id = this.conversationId();
      untracked(() => {
        if (this.previous && this.previous !== id) {
          this.saveDraft();
          this.editing.set(null);
          this.replying.set(null);
          this.mention.set(null);
          this.session.stopTyping(this.previous);
          this.clearStaged();
          this.recorder.cancel();
        }
        this.previous = id;
        this.text.set(this.draftStore()?.get(id) ?? '');
        this.error.set(null);
        queueMicrotask(() => this.resize());
      });
    });
    // A take that reached the longest allowed length stopped by itself: send it as it is.
    this.recorder.limitReached
      .pipe(takeUntilDestroyed())
      .subscribe((recording) => this.sendRecording(this.conversationId(), recording));
    inject(DestroyRef).onDestroy(() => {
      if (this.previous) {
        this.saveDraft();
        this.session.stopTyping(this.previous);
      }
      this.clearStaged();
    });
  }

  focus(): void {
    this.textarea().nativeElement.focus();
  }

  /** Edit mode: the message's text in the composer; Enter saves, Escape cancels. */
  startEdit(message: DisplayMessage): void {
    if (!message.id || !message.lifecycle.canEdit) return;
    const stash = this.editing()?.stash ?? this.text();
    this.editing.set({
      conversationId: this.conversationId(),
      messageId: message.id,
      original: message.text,
      stash,
    });
    this.replying.set(null);
    this.mention.set(null);
    this.error.set(null);
    this.setText(message.text);
  }

  cancelEdit(): void {
    const editing = this.editing();
    if (!editing) return;
    this.editing.set(null);
    this.error.set(null);
    this.setText(editing.stash);
  }

  /** Reply mode: the quoted message above the field; the next text message answers it. */
  startReply(message: DisplayMessage, senderName: string): void {
    if (!message.id || message.seq === null) return;
    if (this.editing()) this.cancelEdit();
    this.replying.set({
      preview: {
        id: message.id,
        seq: message.seq,
        senderId: message.senderId,
        type: message.type,
        excerpt: message.text.slice(0, 140),
      },
      senderName,
    });
    this.focus();
  }

  cancelReply(): void {
    this.replying.set(null);
    this.focus();
  }

  protected async startRecording(): Promise<void> {
    this.error.set(null);
    await this.recorder.start();
  }

  /** Stops the recording and sends it to the conversation it was recorded in. */
  protected async finishRecording(): Promise<void> {
    const conversationId = this.conversationId();
    const recording = await this.recorder.stop();
    if (recording) this.sendRecording(conversationId, recording);
  }

  private sendRecording(conversationId: string, recording: VoiceRecording): void {
    const problem = this.session.sendAttachment(conversationId, recording.file, {
      durationMs: recording.durationMs,
      waveform: recording.waveform,
    });
    this.error.set(problem);
  }

  protected cancelRecording(): void {
    this.recorder.cancel();
    this.focus();
  }

  /** Files from the picker, a paste or a drop: shown (images previewed) before sending. */
  addFiles(files: Iterable<File>): void {
    const list = [...files];
    if (!list.length) return;
    const problems: string[] = [];
    const accepted: StagedFile[] = [];
    for (const file of list) {
      const problem = checkAttachment(file);
      if (problem) problems.push(problem);
      else {
        const url = likelyKind(file) === 'image' ? URL.createObjectURL(file) : null;
        accepted.push({ id: this.nextId++, file, url });
      }
    }
    const room = MAX_STAGED - this.staged().length;
    for (const extra of accepted.slice(Math.max(0, room))) revoke(extra);
    if (accepted.length > room) problems.push(`Up to ${MAX_STAGED} files at a time.`);
    this.staged.update((items) => [...items, ...accepted.slice(0, Math.max(0, room))]);
    this.error.set(problems[0] ?? null);
    this.focus();
  }

  protected onInput(event: Event): void {
    const element = event.target as HTMLTextAreaElement;
    const value = element.value;
    this.text.set(value);
    this.resize();
    this.updateMention(element);
    if (this.editing()) return;
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.saveDraft(), DRAFT_SAVE_MS);
    if (value.trim()) this.session.typingActivity(this.conversationId());
    else this.session.stopTyping(this.conversationId());
  }

  /** The caret moved (click, arrows): an `@name` under it opens the member list. */
  protected updateMention(element: HTMLTextAreaElement = this.textarea().nativeElement): void {
    const caret = element.selectionStart;
    const next = element.selectionEnd === caret ? mentionAt(element.value, caret) : null;
    const current = this.mention();
    if (next?.start !== current?.start || next?.query !== current?.query) this.mentionIndex.set(0);
    this.mention.set(next);
  }

  protected pickMention(member: MentionCandidate): void {
    const mention = this.mention();
    if (!mention) return;
    const { text, caret } = insertMention(this.text(), mention, member.username);
    this.setText(text, caret);
    this.mention.set(null);
  }

  protected onKeydown(event: KeyboardEvent): void {
    const composing = event.isComposing || event.keyCode === 229;
    if (this.candidates().length && !composing && this.onMentionKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !composing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'Escape' && this.editing()) {
      event.preventDefault();
      this.cancelEdit();
    } else if (event.key === 'Escape' && this.replying()) {
      event.preventDefault();
      this.cancelReply();
    } else if (event.key === 'Escape' && this.staged().length) {
      event.preventDefault();
      this.clearStaged();
    } else if (
      event.key === 'ArrowUp' &&
      !event.shiftKey &&
      !this.text() &&
      !this.editing() &&
      !this.staged().length
    ) {
      event.preventDefault();
      this.editLast.emit();
    }
  }

  /** Up/Down move through the members, Enter/Tab insert, Escape closes. True when handled. */
  private onMentionKey(event: KeyboardEvent): boolean {
    const count = this.candidates().length;
    switch (event.key) {
      case 'ArrowDown':
        this.mentionIndex.update((i) => (i + 1) % count);
        break;
      case 'ArrowUp':
        this.mentionIndex.update((i) => (i - 1 + count) % count);
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        this.pickMention(this.candidates()[Math.min(this.mentionIndex(), count - 1)]);
        break;
      case 'Escape':
        this.mention.set(null);
        break;
      default:
        return false;
    }
    event.preventDefault();
    return true;
  }

  protected onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length) {
      event.preventDefault();
      this.addFiles(files);
    }
  }

  protected pick(): void {
    this.fileInput().nativeElement.click();
  }

  protected onFiles(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.addFiles(input.files ?? []);
    input.value = '';
  }

  protected unstage(item: StagedFile): void {
    revoke(item);
    this.staged.update((items) => items.filter((other) => other.id !== item.id));
    this.focus();
  }

  protected send(): void {
    if (this.editing()) {
      void this.saveEdit();
      return;
    }
    if (!this.canSend()) return;
    const id = this.conversationId();
    for (const item of this.staged()) {
      const problem = this.session.sendAttachment(id, item.file);
      if (problem) this.error.set(problem);
    }
    this.clearStaged();
    const text = this.text();
    if (text.trim()) this.session.sendText(id, text, this.replying()?.preview);
    else this.session.stopTyping(id);
    this.replying.set(null);
    this.mention.set(null);
    this.text.set('');
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = null;
    this.draftStore()?.clear(id);
    this.resize();
    this.focus();
  }

  /** The send button keeps the focus in the text field (a phone keeps its keyboard up). */
  protected keepFocus(event: MouseEvent): void {
    event.preventDefault();
  }

  private draftStore(): Drafts | null {
    const userId = this.userId();
    if (!userId) return null;
    this.drafts ??= Drafts.forUser(userId);
    return this.drafts;
  }

  /** Writes the draft of the conversation being typed in (the one the text belongs to). */
  private saveDraft(): void {
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = null;
    if (this.previous) this.draftStore()?.set(this.previous, this.editing()?.stash ?? this.text());
  }

  /** Saves the edit; an unchanged text just leaves edit mode. */
  private async saveEdit(): Promise<void> {
    const editing = this.editing();
    if (!editing || this.saving()) return;
    const content = this.text().trim();
    if (!content) {
      this.error.set('A message cannot be empty: delete it instead.');
      return;
    }
    if (this.tooLong()) return;
    if (content === editing.original.trim()) {
      this.cancelEdit();
      return;
    }
    this.saving.set(true);
    const ok = await this.actions.edit(
      { conversationId: editing.conversationId, id: editing.messageId },
      content,
    );
    this.saving.set(false);
    if (this.editing() !== editing) return;
    if (ok) this.cancelEdit();
    else this.error.set(this.actions.error() ?? 'Could not save the edit.');
  }

  private setText(text: string, caret = text.length): void {
    this.text.set(text);
    this.resize();
    const element = this.textarea().nativeElement;
    element.focus();
    element.setSelectionRange(caret, caret);
  }

  private clearStaged(): void {
    for (const item of this.staged()) revoke(item);
    this.staged.set([]);
  }

  private resize(): void {
    const element = this.textarea().nativeElement;
    if (element.value !== this.text()) element.value = this.text();
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 180)}px`;
  }
}

function revoke(item: StagedFile): void {
  if (item.url) URL.revokeObjectURL(item.url);
}
