import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { UpdateProfileDto, UserView } from '@chat/shared-dto';
import { DEFAULT_LIMITS } from '@chat/shared-dto';
import { QueryFailedError, Repository } from 'typeorm';
import { MembershipService } from '../conversations/membership.service';
import { toUserView } from './user.mapper';
import { UserEntity } from './user.entity';

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly membership: MembershipService,
  ) {}

  /**
   * `users` as `viewerId` may see them: presence (`status`, `lastSeen`) only of those who share
   * a conversation with the viewer, and everything of the viewer's own record.
   */
  async viewsFor(viewerId: string, users: UserEntity[]): Promise<UserView[]> {
    const others = users.filter((u) => u.id !== viewerId).map((u) => u.id);
    const sharing = await this.membership.sharingWith(viewerId, others);
    return users.map((u) => toUserView(u, u.id === viewerId, sharing.has(u.id)));
  }

  /** Creates a user; 409 naming the field when the username or email is taken (any case). */
  async create(input: NewUser): Promise<UserEntity> {
    const taken = await this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.username', 'u.email'])
      .where('lower(u.username) = lower(:username) OR lower(u.email) = lower(:email)', input)
      .getMany();
    this.assertFree(taken, input);
    try {
      const result = await this.users.insert(input);
      return this.findByIdOrFail(result.identifiers[0].id as string);
    } catch (err) {
      // Two registrations racing for one name: the unique index decides.
      if (
        err instanceof QueryFailedError &&
        (err.driverError as { code?: string }).code === '23505'
      ) {
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
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where(`lower(u.${column}) = lower(:identifier)`, { identifier: identifier.trim() })
      .getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  async findByIdOrFail(id: string): Promise<UserEntity> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  async findWithPassword(id: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
  }

  /** Users whose username or display name starts with `query`, never the caller. */
  search(
    query: string,
    callerId: string,
    limit: number = DEFAULT_LIMITS.searchLimitDefault,
  ): Promise<UserEntity[]> {
    const prefix = `${escapeLike(query.trim().toLowerCase())}%`;
    return this.users
      .createQueryBuilder('u')
      .where('u.id <> :callerId', { callerId })
      .andWhere(
        "(lower(u.username) LIKE :prefix ESCAPE '\\' OR lower(u.display_name) LIKE :prefix ESCAPE '\\')",
        {
          prefix,
        },
      )
      .orderBy('lower(u.username)', 'ASC')
      .limit(limit)
      .getMany();
  }

  async updateProfile(id: string, changes: UpdateProfileDto): Promise<UserEntity> {
    const patch: Partial<UserEntity> = {};
    if (changes.displayName !== undefined) patch.displayName = changes.displayName?.trim() || null;
    if (changes.avatarUrl !== undefined) patch.avatarUrl = changes.avatarUrl || null;
    if (changes.statusMessage !== undefined)
      patch.statusMessage = changes.statusMessage?.trim() || null;
    if (Object.keys(patch).length > 0) await this.users.update({ id }, patch);
    return this.findByIdOrFail(id);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
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
