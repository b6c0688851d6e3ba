import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { IconComponent } from '../../shared/icon.component';
import { fullTime } from '../shared/format';
import { fileTypeLabel } from './file-type-label';
import { formatBytes } from './upload-limit';
import { MessageActionsComponent } from './message-actions.component';
import { ReactionChipsComponent } from './reaction-chips.component';
import { ReplyQuoteComponent } from './reply-quote.component';
import { VoicePlayerComponent } from './voice-player.component';
import type { DisplayMessage, DisplayReply } from './timeline';

const LONG_PRESS_MS = 450;

@Component({
  selector: 'chat-message-bubble',
  imports: [
    IconComponent,
    NgTemplateOutlet,
    MessageActionsComponent,
    ReactionChipsComponent,
    ReplyQuoteComponent,
    VoicePlayerComponent,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './message-bubble.component.html',
  styleUrl: './message-bubble.component.css',
  host: {
    '[class.own]': 'message().own',
    '[class.group-start]': 'groupStart()',
    '[class.group-end]': 'groupEnd()',
    '[class.mentions-me]': 'message().lifecycle.mentionsMe',
    '[class.highlighted]': 'highlighted()',
    '[attr.data-highlighted]': 'highlighted() || null',
    '[class.actions-open]': 'actionsOpen()',
  },
})
export class MessageBubbleComponent {
  readonly message = input.required<DisplayMessage>();
  readonly groupStart = input(true);
  readonly groupEnd = input(true);
  readonly senderName = input<string | null>(null);
  readonly group = input(false);

  protected readonly fileLabel = fileTypeLabel;
  protected readonly fileSize = formatBytes;

  readonly retry = output<DisplayMessage>();
  readonly discard = output<DisplayMessage>();
  readonly openImage = output<string>();
  readonly imageLoaded = output<void>();
  /** The ticks of a confirmed own message were clicked: show who has it. */
  readonly info = output<DisplayMessage>();
  /** Scroll to the original of a reply. */
  readonly showOriginal = output<DisplayReply>();
  readonly reply = output<DisplayMessage>();
  readonly edit = output<DisplayMessage>();
  readonly remove = output<DisplayMessage>();
  readonly react = output<{ message: DisplayMessage; emoji: string }>();
  /** The sender's name was clicked: show their profile (by user id). */
  readonly openProfile = output<string>();
  /** Briefly marked after jumping to it from a reply. */
  readonly highlighted = input(false);

  /** Opened by a long-press or a tap on touch screens, where there is no hover. */
  protected readonly actionsOpen = signal(false);
  protected readonly hasActions = computed(() => {
    const { lifecycle, id } = this.message();
    return (
      id !== null &&
      (lifecycle.canReply || lifecycle.canReact || lifecycle.canEdit || lifecycle.canDelete)
    );
  });
  private readonly hostElement = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  /** Ends a touch in progress (set while one is). */
  private cancelPress: () => void = () => undefined;

  constructor() {
    // Listens to the document only while open: hundreds of bubbles must not all listen.
    effect((onCleanup) => {
      if (!this.actionsOpen()) return;
      const outside = (event: PointerEvent) => {
        if (!this.hostElement.contains(event.target as Node)) this.actionsOpen.set(false);
      };
      document.addEventListener('pointerdown', outside, true);
      onCleanup(() => document.removeEventListener('pointerdown', outside, true));
    });
    inject(DestroyRef).onDestroy(() => this.cancelPress());
  }

  /**
   * Touch only: a long-press opens the actions, a tap toggles them (there is no hover); a tap
   * on a link, image or button keeps its meaning. The move/up listeners exist only during a
   * touch, so mouse moves over hundreds of bubbles cost nothing.
   */
  protected onPointerDown(event: PointerEvent): void {
    if (event.pointerType !== 'touch' || !this.hasActions()) return;
    this.cancelPress();
    let pressed = false;
    const target = event.target as HTMLElement;
    const element = event.currentTarget as HTMLElement;
    const timer = setTimeout(() => {
      pressed = true;
      this.actionsOpen.set(true);
    }, LONG_PRESS_MS);
    const end = (up: PointerEvent | null) => {
      clearTimeout(timer);
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', release);
      element.removeEventListener('pointercancel', cancel);
      this.cancelPress = () => undefined;
      if (up && !pressed && !target.closest('a, button, chat-message-actions'))
        this.actionsOpen.update((open) => !open);
    };
    const start = { x: event.clientX, y: event.clientY };
    const move = (next: PointerEvent) => {
      if (Math.hypot(next.clientX - start.x, next.clientY - start.y) > 10) end(null);
    };
    const release = (up: PointerEvent) => end(up);
    const cancel = () => end(null);
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', release);
    element.addEventListener('pointercancel', cancel);
    this.cancelPress = () => end(null);
  }

  protected onContextMenu(event: Event): void {
    // A long-press on a phone also raises the browser's context menu: show ours instead.
    if (this.hasActions() && globalThis.matchMedia?.('(hover: none)').matches) {
      event.preventDefault();
      this.actionsOpen.set(true);
    }
  }

  protected closeActions(): void {
    this.actionsOpen.set(false);
  }

  protected readonly percent = computed(() => Math.round(this.message().progress * 100));
  protected readonly title = computed(() => fullTime(this.message().createdAt));
  protected readonly statusLabel = computed(() => {
    const message = this.message();
    switch (message.status) {
      case 'uploading':
        return `Uploading, ${Math.round(message.progress * 100)}%`;
      case 'pending':
        return 'Sending';
      case 'failed':
        return 'Not sent';
      case 'sent':
        return 'Sent';
      case 'delivered':
        return this.group() ? `Delivered. ${message.readers}` : 'Delivered';
      case 'read':
        return this.group() ? message.readers : 'Read';
      default:
        return '';
    }
  });
  /** In a group, how many have read a message not yet read by all. */
  protected readonly partialReaders = computed(() => {
    const message = this.message();
    return this.group() && message.status !== 'read' && message.readCount > 0
      ? message.readCount
      : 0;
  });
}
