import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AuthStore } from '../core/auth/auth.store';

@Component({
  selector: 'chat-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p>Hello {{ auth.user()?.username }}</p>
    <button type="button" (click)="logout()">Log out</button>`,
})
export class ChatShellComponent {
  protected readonly auth = inject(AuthStore);
  protected logout(): void {
    void this.auth.logout();
  }
}
