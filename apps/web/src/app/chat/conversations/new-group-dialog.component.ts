import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import type { UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { parseHttpError } from '../../core/http/http-error';
import { IconComponent } from '../../shared/icon.component';
import { AvatarComponent } from '../shared/avatar.component';
import { displayName, nameWithHandle } from '../shared/format';
import { ConversationsApi } from './conversations.api';
import { ConversationsStore } from './conversations.store';

/** Creates a group: a name and members picked from a people search. A native modal <dialog>. */
@Component({
  selector: 'chat-new-group-dialog',
  imports: [IconComponent, AvatarComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './new-group-dialog.component.html',
  styleUrl: './new-group-dialog.component.css',
})
export class NewGroupDialogComponent {
  private readonly api = inject(ConversationsApi);
  private readonly store = inject(ConversationsStore);
  private readonly router = inject(Router);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  protected readonly name = signal('');
  protected readonly query = signal('');
  protected readonly results = signal<readonly UserView[]>([]);
  protected readonly selected = signal<readonly UserView[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly submitted = signal(false);
  protected readonly canCreate = computed(
    () => !!this.name().trim() && this.selected().length > 0 && !this.busy(),
  );
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;

  open(): void {
    this.name.set('');
    this.query.set('');
    this.results.set([]);
    this.selected.set([]);
    this.error.set(null);
    this.submitted.set(false);
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }

  protected close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }

  protected label(user: UserView): string {
    return displayName(user);
  }

  /** "Ana (@ana)": names are not unique, the username tells two Anas apart. */
  protected handle(user: UserView): string {
    return nameWithHandle(user);
  }

  protected isSelected(user: UserView): boolean {
    return this.selected().some((item) => item.id === user.id);
  }

  protected toggle(user: UserView): void {
    this.selected.update((list) =>
      list.some((item) => item.id === user.id)
        ? list.filter((item) => item.id !== user.id)
        : [...list, user],
    );
  }

  protected onName(event: Event): void {
    this.name.set((event.target as HTMLInputElement).value);
  }

  protected onQuery(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.query.set(value);
    if (this.timer) clearTimeout(this.timer);
    const seq = ++this.seq;
    if (!value.trim()) {
      this.results.set([]);
      return;
    }
    this.timer = setTimeout(async () => {
      try {
        const users = await firstValueFrom(this.api.searchUsers(value.trim(), 20));
        if (seq === this.seq) this.results.set(users);
      } catch (err) {
        if (seq === this.seq) this.error.set(parseHttpError(err).message);
      }
    }, 250);
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    if (!this.canCreate()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const conversation = await firstValueFrom(
        this.api.createGroup(
          this.name().trim(),
          this.selected().map((user) => user.id),
        ),
      );
      this.store.upsert(conversation);
      this.close();
      await this.router.navigate(['/c', conversation.id]);
    } catch (err) {
      const parsed = parseHttpError(err, ['name', 'memberIds']);
      this.error.set(parsed.message || Object.values(parsed.fields).join(' '));
    } finally {
      this.busy.set(false);
    }
  }
}
