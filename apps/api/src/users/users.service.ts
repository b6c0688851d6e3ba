import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { UpdateProfileDto, UserView } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { QueryFailedError } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { databaseCode, PG_ERROR } from '../core/database/pg-errors';
import { DomainEvents } from '../core/events/domain-events';
import { ACCOUNT_DELETED } from './account.events';
import { AvatarsService } from './avatars.service';
import { PROFILE_CHANGED } from './user.events';
import { BlocksRepository } from './blocks.repository';
import { toUserView } from './user.mapper';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly membership: MembershipService,
    private readonly blocks: BlocksRepository,
    private readonly events: DomainEvents,
    private readonly avatars: AvatarsService,
  ) {}

  /**
   * `users` as `viewerId` may see them: presence (`status`, `lastSeen`) only of those who share
   * a conversation with the viewer and have not blocked them, and everything of the viewer's
   * own record.
   */
  async viewsFor(viewerId: string, users: UserEntity[]): Promise<UserView[]> {
    const others = users.filter((u) => u.id !== viewerId).map((u) => u.id);
    if (others.length === 0) return users.map((u) => toUserView(u, true));
    const [sharing, blockers] = await Promise.all([
      this.membership.sharingWith(viewerId, others),
      this.blocks.blockersOf(viewerId, others),
    ]);
    return users.map((u) =>
      toUserView(u, u.id === viewerId, sharing.has(u.id) && !blockers.includes(u.id)),
    );
  }

  /** Creates a user; 409 naming the field when the username or email is taken (any case). */
  async create(input: NewUser): Promise<UserEntity> {
    this.assertFree(await this.users.holdersOf(input.username, input.email), input);
    try {
      return await this.findByIdOrFail(await this.users.insert(input));
    } catch (err) {
      // Two registrations racing for one name: the unique index decides.
      if (err instanceof QueryFailedError && databaseCode(err) === PG_ERROR.uniqueViolation) {
        const constraint = (err.driverError as { constraint?: string }).constraint ?? '';
        throw new ConflictException(
          constraint.includes('email')
            ? 'email is already registered'
            : 'username is already taken',
        );
      }
      throw err;
    }
  }

  /** By email (when it contains "@") or username, case-insensitively, with the password hash. */
  findForLogin(identifier: string): Promise<UserEntity | null> {
    const column = identifier.includes('@') ? 'email' : 'username';
    return this.users.findWithPasswordBy(column, identifier.trim());
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    return this.users.findByIds(ids);
  }

  /** The users behind these usernames (any case); unknown names are left out. */
  findByUsernames(usernames: string[]): Promise<UserEntity[]> {
    return this.users.findByUsernames([...new Set(usernames.map((u) => u.toLowerCase()))]);
  }

  async findByIdOrFail(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  findWithPassword(id: string): Promise<UserEntity | null> {
    return this.users.findWithPassword(id);
  }

  /** Users whose username or display name starts with `query`, never the caller. */
  search(
    query: string,
    callerId: string,
    limit: number = DEFAULT_LIMITS.searchLimitDefault,
  ): Promise<UserEntity[]> {
    const prefix = `${escapeLike(query.trim().toLowerCase())}%`;
    return this.users.searchByPrefix(prefix, callerId, limit);
  }

  async updateProfile(id: string, changes: UpdateProfileDto): Promise<UserEntity> {
    const before = await this.findByIdOrFail(id);
    const patch: Partial<UserEntity> = {};
    if (changes.displayName !== undefined) patch.displayName = changes.displayName?.trim() || null;
    if (changes.avatarUrl !== undefined) {
      // Only clearing, or keeping one's own: naming another user's avatar would wear their face.
      if (changes.avatarUrl && changes.avatarUrl !== before.avatarUrl)
        throw new BadRequestException([
          'avatarUrl can only be your current avatar or null; upload a new one with POST /api/users/me/avatar',
        ]);
      patch.avatarUrl = changes.avatarUrl || null;
    }
    if (changes.directMessages !== undefined) patch.directMessages = changes.directMessages;
    if (changes.statusMessage !== undefined)
      patch.statusMessage = changes.statusMessage?.trim() || null;
    await this.users.update(id, patch);
    if (patch.avatarUrl !== undefined) await this.dropAvatar(before.avatarUrl, patch.avatarUrl);
    const after = await this.findByIdOrFail(id);
    if (
      after.displayName !== before.displayName ||
      after.statusMessage !== before.statusMessage ||
      after.avatarUrl !== before.avatarUrl
    )
      this.events.emit(PROFILE_CHANGED, { userId: id });
    return after;
  }

  /** A new avatar from uploaded bytes; the previous one's files go unless someone shows it. */
  async setAvatar(id: string, bytes: Buffer): Promise<UserEntity> {
    const before = await this.findByIdOrFail(id);
    const avatarUrl = await this.avatars.store(bytes);
    await this.users.update(id, { avatarUrl });
    await this.dropAvatar(before.avatarUrl, avatarUrl);
    this.events.emit(PROFILE_CHANGED, { userId: id });
    return this.findByIdOrFail(id);
  }

  private async dropAvatar(previous: string | null, current: string | null): Promise<void> {
    if (previous && previous !== current && !(await this.users.avatarInUse(previous)))
      await this.avatars.remove(previous);
  }

  /**
   * Deletes the account: its row keeps only the id (messages stay, shown as "Deleted user"),
   * its avatar files go, then its owner leaves every group. Sessions are the caller's (auth's) to revoke.
   */
  async deleteAccount(id: string): Promise<void> {
    const { avatarUrl } = await this.findByIdOrFail(id);
    await this.users.erase(id);
    await this.dropAvatar(avatarUrl, null);
    await this.events.emitAndWait(ACCOUNT_DELETED, { userId: id });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update(id, { passwordHash });
  }

  /** Presence as REST views show it; the presence module decides when it changes. */
  setOnline(id: string): Promise<void> {
    return this.users.setOnline(id);
  }

  setOffline(id: string): Promise<Date | null> {
    return this.users.setOffline(id);
  }

  setEveryoneOffline(): Promise<void> {
    return this.users.setEveryoneOffline();
  }

  private assertFree(taken: UserEntity[], input: NewUser): void {
    const problems: string[] = [];
    if (taken.some((u) => u.username.toLowerCase() === input.username.toLowerCase())) {
      problems.push('username is already taken');
    }
    if (taken.some((u) => u.email.toLowerCase() === input.email.toLowerCase())) {
      problems.push('email is already registered');
    }
    if (problems.length > 0) throw new ConflictException(problems);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
