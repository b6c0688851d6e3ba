import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { IconComponent } from '../../shared/icon.component';
import { ChatSession } from '../chat-session.service';
import { AuthStore } from '../../core/auth/auth.store';
import { Drafts } from './drafts';
import { IMAGE_TYPES, checkImage } from './upload.api';

export const MAX_MESSAGE_LENGTH = 4000;
const MAX_STAGED = 10;

interface StagedImage {
  id: number;
  file: File;
  url: string;
}

const DRAFT_SAVE_MS = 300;

@Component({
  selector: 'chat-composer',
  imports: [IconComponent],
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

  private readonly textarea = viewChild.required<ElementRef<HTMLTextAreaElement>>('textarea');
  private readonly fileInput = viewChild.required<ElementRef<HTMLInputElement>>('fileInput');
  protected readonly text = signal('');
  protected readonly staged = signal<readonly StagedImage[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly accept = IMAGE_TYPES.join(',');
  protected readonly length = computed(() => this.text().trim().length);
  protected readonly tooLong = computed(() => this.length() > MAX_MESSAGE_LENGTH);
  protected readonly canSend = computed(
    () => (this.length() > 0 && !this.tooLong()) || (this.staged().length > 0 && !this.tooLong()),
  );
  private nextId = 1;
  private previous: string | null = null;

  constructor() {
    effect(() => {
      const id = this.conversationId();
      untracked(() => {
        if (this.previous && this.previous !== id) {
          this.saveDraft();
          this.session.stopTyping(this.previous);
          this.clearStaged();
        }
        this.previous = id;
        this.text.set(this.draftStore()?.get(id) ?? '');
        this.error.set(null);
        queueMicrotask(() => this.resize());
      });
    });
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

  /** Images from the picker, a paste or a drop: previewed before sending. */
  addFiles(files: Iterable<File>): void {
    const list = [...files];
    if (!list.length) return;
    const problems: string[] = [];
    const accepted: StagedImage[] = [];
    for (const file of list) {
      const problem = checkImage(file);
      if (problem) problems.push(problem);
      else accepted.push({ id: this.nextId++, file, url: URL.createObjectURL(file) });
    }
    const room = MAX_STAGED - this.staged().length;
    for (const extra of accepted.slice(Math.max(0, room))) URL.revokeObjectURL(extra.url);
    if (accepted.length > room) problems.push(`Up to ${MAX_STAGED} images at a time.`);
    this.staged.update((items) => [...items, ...accepted.slice(0, Math.max(0, room))]);
    this.error.set(problems[0] ?? null);
    this.focus();
  }

  protected onInput(event: Event): void {
    const value = (event.target as HTMLTextAreaElement).value;
    this.text.set(value);
    this.resize();
    if (this.draftTimer) clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.saveDraft(), DRAFT_SAVE_MS);
    if (value.trim()) this.session.typingActivity(this.conversationId());
    else this.session.stopTyping(this.conversationId());
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'Escape' && this.staged().length) {
      event.preventDefault();
      this.clearStaged();
    }
  }

  protected onPaste(event: ClipboardEvent): void {
    const files = [...(event.clipboardData?.files ?? [])].filter((file) =>
      file.type.startsWith('image/'),
    );
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

  protected unstage(item: StagedImage): void {
    URL.revokeObjectURL(item.url);
    this.staged.update((items) => items.filter((other) => other.id !== item.id));
    this.focus();
  }

  protected send(): void {
    if (!this.canSend()) return;
    const id = this.conversationId();
    for (const item of this.staged()) {
      const problem = this.session.sendImage(id, item.file);
      if (problem) this.error.set(problem);
    }
    this.clearStaged();
    const text = this.text();
    if (text.trim()) this.session.sendText(id, text);
    else this.session.stopTyping(id);
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
    if (this.previous) this.draftStore()?.set(this.previous, this.text());
  }

  private clearStaged(): void {
    for (const item of this.staged()) URL.revokeObjectURL(item.url);
    this.staged.set([]);
  }

  private resize(): void {
    const element = this.textarea().nativeElement;
    if (element.value !== this.text()) element.value = this.text();
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 180)}px`;
  }
}
