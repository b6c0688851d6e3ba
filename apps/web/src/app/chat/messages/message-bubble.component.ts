import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { IconComponent } from '../../shared/icon.component';
import { fullTime } from '../shared/format';
import type { DisplayMessage } from './timeline';

@Component({
  selector: 'chat-message-bubble',
  imports: [IconComponent, NgTemplateOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './message-bubble.component.html',
  styleUrl: './message-bubble.component.css',
  host: {
    '[class.own]': 'message().own',
    '[class.group-start]': 'groupStart()',
    '[class.group-end]': 'groupEnd()',
  },
})
export class MessageBubbleComponent {
  readonly message = input.required<DisplayMessage>();
  readonly groupStart = input(true);
  readonly groupEnd = input(true);
  readonly senderName = input<string | null>(null);
  readonly group = input(false);

  readonly retry = output<DisplayMessage>();
  readonly discard = output<DisplayMessage>();
  readonly openImage = output<string>();
  readonly imageLoaded = output<void>();
  /** The ticks of a confirmed own message were clicked: show who has it. */
  readonly info = output<DisplayMessage>();

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
