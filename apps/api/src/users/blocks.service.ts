import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { DomainEvents } from '../core/events/domain-events';
import { BLOCK_CHANGED } from './block.events';
import { BlocksRepository } from './blocks.repository';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

/**
 * Blocking: the blocked user cannot open or write in a direct conversation with the blocker,
 * cannot add them to a group, and sees neither their presence nor their typing. Both stay
 * members of the groups they share. Every check reads the table, so every instance agrees.
 */
@Injectable()
export class BlocksService {
  constructor(
    private readonly blocks: BlocksRepository,
    private readonly users: UsersRepository,
    private readonly events: DomainEvents,
  ) {}

  async block(blockerId: string, blockedId: string): Promise<void> {
    await this.assertOther(blockerId, blockedId);
    await this.blocks.insert(blockerId, blockedId);
    this.events.emit(BLOCK_CHANGED, { blockerId, blockedId, blocked: true });
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await this.assertOther(blockerId, blockedId);
    await this.blocks.delete(blockerId, blockedId);
    this.events.emit(BLOCK_CHANGED, { blockerId, blockedId, blocked: false });
  }

  blockedUsers(blockerId: string): Promise<UserEntity[]> {
    return this.blocks.blockedUsers(blockerId);
  }

  /** Those `userId` blocked, among `among` when given: they get none of `userId`'s presence or typing. */
  async blockedBy(userId: string, among?: string[]): Promise<Set<string>> {
    return new Set(await this.blocks.blockedBy(userId, among));
  }

  /** For each of `userIds`, those among `among` who blocked them (one query for many viewers). */
  async blockersOfEach(userIds: string[], among: string[]): Promise<Map<string, Set<string>>> {
    const byUser = new Map<string, Set<string>>();
    if (userIds.length === 0 || among.length === 0) return byUser;
    for (const { blocker_id, blocked_id } of await this.blocks.pairs(among, userIds)) {
      const set = byUser.get(blocked_id) ?? new Set<string>();
      byUser.set(blocked_id, set.add(blocker_id));
    }
    return byUser;
  }

  /** Those who blocked `userId`, among `among` when given. */
  async blockersOf(userId: string, among?: string[]): Promise<Set<string>> {
    if (among?.length === 0) return new Set();
    return new Set(await this.blocks.blockersOf(userId, among));
  }

  /** 403 when any of `targetIds` blocked `actorId`: a direct conversation or a group add. */
  async assertNotBlockedBy(actorId: string, targetIds: string[]): Promise<void> {
    if ((await this.blockersOf(actorId, targetIds)).size > 0)
      throw new ForbiddenException('This user does not accept messages from you');
  }

  private async assertOther(meId: string, otherId: string): Promise<void> {
    if (meId === otherId) throw new BadRequestException('You cannot block yourself');
    if (!(await this.users.findById(otherId))) throw new NotFoundException('User not found');
  }
}
