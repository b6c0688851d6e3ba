import type { ElementRef } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { ConversationMemberView, ConversationView, UserView } from '@chat/shared-dto';
import { firstValueFrom } from 'rxjs';
import { AuthStore } from '../../core/auth/auth.store';
import { parseHttpError } from '../../core/http/http-error';
import { IconComponent } from '../../shared/icon.component';
import { ChatSession } from '../chat-session.service';
import { ConversationsApi } from '../conversations/conversations.api';
import { ConversationsStore } from '../conversations/conversations.store';
import { canManageGroup, memberActions, sortMembers } from '../conversations/group-permissions';
import { AvatarComponent } from '../shared/avatar.component';
import {
  conversationAvatar,
  conversationTitle,
  displayName,
  groupPresence,
  lastSeenText,
  otherMember,
} from '../shared/format';
import { PageVisibility } from '../shared/page-visibility.service';
import { LockIconComponent } from '../verification/lock-icon.component';
import { SafetyNumberDialogComponent } from '../verification/safety-number-dialog.component';
import { VerificationStore } from '../verification/verification.store';

const ROLE_LABEL = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;
const MEMBERS_PAGE = 100;

interface MemberRow {
  member: ConversationMemberView;
  name: string;
  self: boolean;
  online: boolean | null;
  presence: string;
  role: string;
  remove: boolean;
  makeAdmin: boolean;
  makeMember: boolean;
}

/**
 * The info panel of a conversation (a modal side sheet): for a group its name, members with
 * roles and presence, and the management the viewer's role allows; for a direct conversation
 * the other person's profile.
 */
@Component({
  selector: 'chat-conversation-info',
  imports: [IconComponent, AvatarComponent, LockIconComponent, SafetyNumberDialogComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './conversation-info.component.html',
  styleUrl: './conversation-info.component.css',
})
export class ConversationInfoComponent {
  readonly conversation = input.required<ConversationView>();
  /** A member was clicked: show their profile card (over this panel). */
  readonly openProfile = output<string>();

  private readonly api = inject(ConversationsApi);
  private readonly store = inject(ConversationsStore);
  private readonly session = inject(ChatSession);
  private readonly page = inject(PageVisibility);
  private readonly selfId = inject(AuthStore).userId;
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly verification = inject(VerificationStore);
  private readonly safetyDialog = viewChild.required(SafetyNumberDialogComponent);

  protected readonly isOpen = signal(false);
  protected readonly busy = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly renaming = signal(false);
  protected readonly nameDraft = signal('');
  protected readonly confirmLeave = signal(false);
  protected readonly confirmEncrypt = signal(false);
  protected readonly query = signal('');
  protected readonly results = signal<readonly UserView[]>([]);
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  /** Members paged in past the ones a large group's payload embeds ("Show more"). */
  private readonly paged = signal<readonly ConversationMemberView[]>([]);
  private readonly cursor = signal<string | null>(null);
  private readonly exhausted = signal(false);

  protected readonly isGroup = computed(() => this.conversation().type === 'group');
  protected readonly title = computed(() => conversationTitle(this.conversation(), this.selfId()));
  protected readonly avatar = computed(() =>
    conversationAvatar(this.conversation(), this.selfId()),
  );
  protected readonly myRole = computed(
    () => this.conversation().members.find((member) => member.id === this.selfId())?.role ?? null,
  );
  protected readonly canManage = computed(() => canManageGroup(this.myRole()));
  private readonly live = computed(() => {
    if (!this.page.browserOnline()) return 'offline' as const;
    return this.session.connection() === 'connected' ? ('live' as const) : ('connecting' as const);
  });
  protected readonly summary = computed(() =>
    groupPresence(this.conversation(), this.selfId(), this.live()),
  );
  protected readonly other = computed(() => {
    const conversation = this.conversation();
    return conversation.type === 'direct' ? otherMember(conversation, this.selfId()) : null;
  });
  protected readonly otherPresence = computed(() => {
    const other = this.other();
    if (!other || other.id === this.selfId()) return '';
    this.page.now();
    const live = this.live();
    if (live === 'offline') return 'waiting for network';
    if (live === 'connecting') return 'connecting…';
    return other.status === 'online' ? 'online' : lastSeenText(other.lastSeen);
  });
  /** The other person of a direct conversation that can be encrypted (not a note to self). */
  protected readonly peer = computed(() => {
    const other = this.other();
    return other && other.id !== this.selfId() ? { id: other.id, name: displayName(other) } : null;
  });
  protected readonly encrypted = computed(() => this.conversation().encrypted === true);
  protected readonly verified = computed(() => {
    const peer = this.peer();
    return !!peer && this.encrypted() && this.verification.isVerified(peer.id);
  });

  /** The embedded members (kept current by live events) and those paged in, each once. */
  private readonly members = computed(() => {
    const embedded = this.conversation().members;
    const known = new Set(embedded.map((member) => member.id));
    return [...embedded, ...this.paged().filter((member) => !known.has(member.id))];
  });
  protected readonly memberCount = computed(() => this.conversation().memberCount);
  protected readonly hasMore = computed(
    () => !this.exhausted() && this.members().length < this.memberCount(),
  );
  protected readonly rows = computed<MemberRow[]>(() => {
    const selfId = this.selfId();
    const live = this.live() === 'live';
    this.page.now();
    const actor = this.myRole();
    return sortMembers(this.members(), selfId, (member) => displayName(member)).map((member) => {
      const self = member.id === selfId;
      const online = self ? live : member.status === 'online';
      const actions = memberActions(actor, member, selfId);
      return {
        member,
        name: displayName(member),
        self,
        online: live || self ? online : null,
        presence: self ? 'you' : !live ? '' : online ? 'online' : lastSeenText(member.lastSeen),
        role: ROLE_LABEL[member.role],
        ...actions,
      };
    });
  });
  protected readonly memberIds = computed(() => new Set(this.members().map((member) => member.id)));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.searchTimer && clearTimeout(this.searchTimer));
  }

  open(): void {
    this.error.set(null);
    this.renaming.set(false);
    this.confirmLeave.set(false);
    this.confirmEncrypt.set(false);
    this.query.set('');
    this.results.set([]);
    this.paged.set([]);
    this.cursor.set(null);
    this.exhausted.set(false);
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    this.isOpen.set(true);
    void this.refresh();
    // Whether "Verified" still holds: the number of the devices both have now.
    const peer = this.peer();
    if (peer && this.encrypted()) void this.verification.loadSafetyNumber(peer.id);
  }

  close(): void {
    const dialog = this.dialog().nativeElement;
    if (typeof dialog.close === 'function') dialog.close();
    else dialog.removeAttribute('open');
  }

  protected onClosed(): void {
    this.isOpen.set(false);
  }

  protected startRename(): void {
    this.nameDraft.set(this.conversation().name ?? '');
    this.renaming.set(true);
  }

  protected onNameInput(event: Event): void {
    this.nameDraft.set((event.target as HTMLInputElement).value);
  }

  protected async saveName(event: Event): Promise<void> {
    event.preventDefault();
    const name = this.nameDraft().trim();
    if (!name) {
      this.error.set('Give the group a name.');
      return;
    }
    const updated = await this.run('rename', () =>
      firstValueFrom(this.api.rename(this.conversation().id, name)),
    );
    if (updated) {
      this.store.upsert(updated);
      this.renaming.set(false);
    }
  }

  protected async setRole(row: MemberRow, role: 'admin' | 'member'): Promise<void> {
    const updated = await this.run(`role:${row.member.id}`, () =>
      firstValueFrom(this.api.setRole(this.conversation().id, row.member.id, role)),
    );
    if (updated) this.store.upsert(updated);
  }

  protected async remove(row: MemberRow): Promise<void> {
    const id = this.conversation().id;
    const done = await this.run(`remove:${row.member.id}`, async () => {
      await firstValueFrom(this.api.removeMember(id, row.member.id));
      return true;
    });
    if (done) {
      this.paged.update((list) => list.filter((member) => member.id !== row.member.id));
      await this.refresh();
    }
  }

  /** The next page of members from `GET /api/conversations/:id/members`. */
  protected async loadMore(): Promise<void> {
    const page = await this.run('more', () =>
      firstValueFrom(
        this.api.members(this.conversation().id, this.cursor() ?? undefined, MEMBERS_PAGE),
      ),
    );
    if (!page) return;
    this.paged.update((list) => [...list, ...page.members]);
    this.cursor.set(page.next ?? null);
    this.exhausted.set(!page.next);
  }

  /** `PUT /api/conversations/:id/encryption`: from now on, for good. */
  protected async enableEncryption(): Promise<void> {
    const updated = await this.run('encrypt', () =>
      firstValueFrom(this.api.enableEncryption(this.conversation().id)),
    );
    if (updated) {
      this.store.upsert(updated);
      this.confirmEncrypt.set(false);
      const peer = this.peer();
      if (peer) void this.verification.loadSafetyNumber(peer.id);
    }
  }

  protected verifySafetyNumber(): void {
    const peer = this.peer();
    if (peer) this.safetyDialog().open(peer);
  }

  protected async leave(): Promise<void> {
    const id = this.conversation().id;
    const done = await this.run('leave', async () => {
      await firstValueFrom(this.api.leave(id));
      return true;
    });
    if (done) {
      this.close();
      this.session.forget(id);
    }
  }

  protected onQuery(event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.query.set(value);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const seq = ++this.searchSeq;
    const query = value.trim();
    if (!query) {
      this.results.set([]);
      return;
    }
    this.searchTimer = setTimeout(async () => {
      try {
        const users = await firstValueFrom(this.api.searchUsers(query, 20));
        if (seq === this.searchSeq) this.results.set(users);
      } catch (err) {
        if (seq === this.searchSeq) this.error.set(parseHttpError(err).message);
      }
    }, 250);
  }

  protected async add(user: UserView): Promise<void> {
    const updated = await this.run(`add:${user.id}`, () =>
      firstValueFrom(this.api.addMembers(this.conversation().id, [user.id])),
    );
    if (updated) {
      this.store.upsert(updated);
      this.results.update((list) => list.filter((item) => item.id !== user.id));
    }
  }

  protected label(user: Pick<UserView, 'username' | 'displayName'>): string {
    return displayName(user);
  }

  /** Fresh members and presence from `GET /api/conversations/:id`. */
  private async refresh(): Promise<void> {
    try {
      const fresh = await firstValueFrom(this.api.get(this.conversation().id));
      this.store.upsert(fresh);
    } catch {
      // The copy in the store is still shown; live events keep it current.
    }
  }

  private async run<T>(key: string, action: () => Promise<T>): Promise<T | null> {
    if (this.busy()) return null;
    this.busy.set(key);
    this.error.set(null);
    try {
      return await action();
    } catch (err) {
      const parsed = parseHttpError(err, ['name', 'userIds', 'role']);
      this.error.set(parsed.message || Object.values(parsed.fields).join(' ') || 'Failed.');
      return null;
    } finally {
      this.busy.set(null);
    }
  }
}
