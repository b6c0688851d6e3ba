import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { returningRows } from '../core/database/returning';
import { UserEntity } from './user.entity';

export interface NewUserRow {
  username: string;
  email: string;
  passwordHash: string;
}

/** What others see as the name of a deleted account. */
export const DELETED_USER_NAME = 'Deleted user';

/** Every SQL on `users`: accounts, profiles, and the persisted presence. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  /** Whoever already holds this username or email, in any case. */
  holdersOf(username: string, email: string): Promise<UserEntity[]> {
    return this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.username', 'u.email'])
      .where('lower(u.username) = lower(:username) OR lower(u.email) = lower(:email)', {
        username,
        email,
      })
      .getMany();
  }

  async insert(input: NewUserRow): Promise<string> {
    const result = await this.users.insert(input);
    return result.identifiers[0].id as string;
  }

  /** By email or username, case-insensitively, with the password hash. */
  findWithPasswordBy(column: 'email' | 'username', value: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where(`lower(u.${column}) = lower(:value)`, { value })
      .andWhere('u.deleted_at IS NULL')
      .getOne();
  }

  findWithPassword(id: string): Promise<UserEntity | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id })
      .getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.users.find({ where: { id: In(ids) } });
  }

  /** By usernames, case-insensitively. */
  findByUsernames(lowerCaseNames: string[]): Promise<UserEntity[]> {
    if (lowerCaseNames.length === 0) return Promise.resolve([]);
    return this.users
      .createQueryBuilder('u')
      .where('lower(u.username) = ANY(:names)', { names: lowerCaseNames })
      .getMany();
  }

  /** Users whose username or display name starts with the (escaped, lower-case) prefix. */
  searchByPrefix(likePrefix: string, excludeId: string, limit: number): Promise<UserEntity[]> {
    return this.users
      .createQueryBuilder('u')
      .where('u.id <> :excludeId', { excludeId })
      .andWhere('u.deleted_at IS NULL')
      .andWhere(
        "(lower(u.username) LIKE :prefix ESCAPE '\\' OR lower(u.display_name) LIKE :prefix ESCAPE '\\')",
        { prefix: likePrefix },
      )
      .orderBy('lower(u.username)', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Erases every personal field of the account and marks it deleted; the row stays because
   * messages point at it. Username and email become placeholders derived from the id (both
   * must stay unique), the password hash one that no password matches.
   */
  async erase(id: string): Promise<void> {
    await this.users.query(
      `UPDATE users
          SET username = 'deleted-' || left(replace(id::text, '-', ''), 24),
              email = 'deleted-' || id::text || '@deleted.invalid',
              display_name = $2, avatar_url = NULL, status_message = NULL,
              password_hash = '!', status = 'offline', last_seen = NULL, deleted_at = now()
        WHERE id = $1`,
      [id, DELETED_USER_NAME],
    );
  }

  /** Whether any account still shows this avatar. */
  async avatarInUse(url: string): Promise<boolean> {
    return this.users.exists({ where: { avatarUrl: url } });
  }

  async update(id: string, patch: Partial<UserEntity>): Promise<void> {
    if (Object.keys(patch).length > 0) await this.users.update({ id }, patch);
  }

  async setOnline(id: string): Promise<void> {
    await this.users.update({ id }, { status: 'online' });
  }

  /** Marks the user offline; answers when they were last seen, or null for no such user. */
  async setOffline(id: string): Promise<Date | null> {
    const [row] = returningRows<{ last_seen: Date }>(
      await this.users.query(
        `UPDATE users SET status = 'offline', last_seen = now() WHERE id = $1 RETURNING last_seen`,
        [id],
      ),
    );
    return row ? new Date(row.last_seen) : null;
  }

  /** Nobody can be online before the only instance starts. */
  async setEveryoneOffline(): Promise<void> {
    await this.users.update({ status: 'online' }, { status: 'offline' });
  }
}
