import { ChangeDetectionStrategy, Component } from '@angular/core';
import { IconComponent } from '../shared/icon.component';

@Component({
  selector: 'chat-empty-state',
  imports: [IconComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="empty" data-testid="empty-state">
      <span class="badge"><chat-icon name="chat" /></span>
      <h2>Pick a conversation</h2>
      <p>Choose one on the left, or search for someone to start a new chat.</p>
    </div>
  `,
  styles: `
    :host {
      display: grid;
      place-items: center;
      height: 100%;
      padding: 24px;
    }
    .empty {
      max-width: 320px;
      text-align: center;
      color: var(--text-muted);
    }
    .badge {
      display: inline-grid;
      place-items: center;
      width: 64px;
      height: 64px;
      margin-bottom: 12px;
      border-radius: 20px;
      background: var(--accent-soft);
      color: var(--accent);
    }
    .badge chat-icon {
      width: 30px;
      height: 30px;
    }
    h2 {
      margin: 0 0 6px;
      font-size: 18px;
      color: var(--text);
    }
    p {
      margin: 0;
    }
  `,
})
export class EmptyStateComponent {}
