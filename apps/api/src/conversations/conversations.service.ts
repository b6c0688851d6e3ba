import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  ConversationMemberView,
  ConversationView,
  MemberRole,
  MembersPageView,
} from '@chat/shared-dto';
import { DEFAULT_LIMITS, normaliseName } from '@chat/shared-dto';
import { DataSource } from 'typeorm';
import { DomainEvents, OnDomainEvent } from '../core/events/domain-events';
import { ACCOUNT_DELETED, AccountDeletedEvent } from '../users/account.events';
import { MessagesService } from '../messages/messages.service';
import { BlocksService } from '../users/blocks.service';
import { toUserView } from '../users/user.mapper';
import { UsersService } from '../users/users.service';
import { CONVERSATION_CHANGED, MEMBER_REMOVED, MEMBERS_ADDED } from './conversation.events';
import { toConversationView, toMemberView } from './conversation.mapper';
import { ConversationsRepository } from './conversations.repository';
import { MemberRow, OwnMembershipRow } from './members.repository';
import { MembershipService } from './membership.service';

/**
 * Direct conversations and groups: creation, the list, and group management. Members,
 * profiles and last messages come from their owners (membership, users, messages); what
 * happened is announced as domain events after commit.
 */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly conversations: ConversationsRepository,
    private readonly membership: MembershipService,
    private readonly users: UsersService,
    private readonly blocks: BlocksService,
    private readonly messages: MessagesService,
    private readonly events: DomainEvents,
  ) {}

  /** The caller's conversations, newest activity first, in a fixed number of queries. */
  async list(userId: string): Promise<ConversationView[]> {
    return this.assemble(await this.membership.ownRows(userId), userId);
  }

  /** One conversation as `userId` sees it; 404 when they are not a member. */
  async view(conversationId: string, userId: string): Promise<ConversationView> {
    const view = (await this.viewsFor(conversationId, [userId])).get(userId);
    if (!view) throw new NotFoundException('Conversation not found');
    return view;
  }

  /**
   * One conversation as each of `viewerIds` sees it (their unread count, watermark, mute and
   * the presence their blockers hide), in a fixed number of queries however many viewers: the
   * fan-out of a change to a 10,000-member group asks for them in chunks. Non-members are
   * absent from the answer.
   */
  async viewsFor(
    conversationId: string,
    viewerIds: string[],
  ): Promise<Map<string, ConversationView>> {
    const views = new Map<string, ConversationView>();
    const [conversation] = await this.conversations.findByIds([conversationId]);
    if (!conversation || viewerIds.length === 0) return views;
    const [own, embedded, counts] = await Promise.all([
      this.membership.rowsIn(conversationId, viewerIds),
      this.membership.embeddedRowsOf([conversationId], []),
      this.membership.memberCounts([conversationId]),
    ]);
    if (own.length === 0) return views;
    const lastSeq = Number(conversation.lastSeq);
    const embeddedIds = embedded.map((m) => m.user_id);
    const viewers = own.map((o) => o.user_id);
    const [profiles, blockers, lastMessages, unreadDetails] = await Promise.all([
      this.users.findByIds([...new Set([...embeddedIds, ...viewers])]),
      this.blocks.blockersOfEach(viewers, [...new Set([...embeddedIds, ...viewers])]),
      this.messages.lastMessages([{ conversationId, seq: lastSeq }]),
      this.messages.unreadDetailsOfMembers(
        conversationId,
        own
          .map((o) => ({ userId: o.user_id, afterSeq: Number(o.last_read_seq) }))
          .filter((u) => lastSeq > u.afterSeq),
      ),
    ]);
    const users = new Map(profiles.map((u) => [u.id, u]));
    const memberView = (row: MemberRow, hiddenBy?: Set<string>) => {
      const user = users.get(row.user_id);
      return user && toMemberView(row, toUserView(user, false, !hiddenBy?.has(user.id)));
    };
    // Most viewers are blocked by no one in the list: they share one array of member views.
    const shared = embedded.map((row) => memberView(row)).filter((m) => m !== undefined);
    const inList = new Set(embeddedIds);
    for (const mine of own) {
      const hiddenBy = blockers.get(mine.user_id);
      let members = hiddenBy
        ? embedded.map((row) => memberView(row, hiddenBy)).filter((m) => m !== undefined)
        : shared;
      // A large group embeds its first members; the viewer is always there too.
      const self = inList.has(mine.user_id) ? undefined : memberView(mine, hiddenBy);
      if (self) members = [...members, self];
      views.set(
        mine.user_id,
        toConversationView(
          conversation,
          mine,
          members,
          counts.get(conversationId) ?? members.length,
          lastMessages.get(conversationId) ?? null,
          unreadDetails.get(mine.user_id),
        ),
      );
    }
    return views;
  }

  /** A page of a conversation's members in ascending user id, for a member of it. */
  async membersPage(
    conversationId: string,
    userId: string,
    query: { limit?: number; after?: string },
  ): Promise<MembersPageView> {
    const limit = query.limit ?? DEFAULT_LIMITS.membersPageDefault;
    // One more than asked says whether there is a next page without a count.
    const rows = await this.membership.page(conversationId, userId, query.after ?? null, limit + 1);
    const page = rows.slice(0, limit);
    const ids = page.map((r) => r.user_id);
    const [profiles, blockers] = await Promise.all([
      this.users.findByIds(ids),
      this.blocks.blockersOf(userId, ids),
    ]);
    const users = new Map(profiles.map((u) => [u.id, u]));
    const members: ConversationMemberView[] = [];
    for (const row of page) {
      const user = users.get(row.user_id);
      if (user) members.push(toMemberView(row, toUserView(user, false, !blockers.has(user.id))));
    }
    const last = page.at(-1);
    return rows.length > limit && last ? { members, next: last.user_id } : { members };
  }

  /**
   * The one direct conversation of a pair, created by whoever asks first. The unique
   * `direct_key` makes concurrent requests converge on one row. Someone the other blocked can
   * neither create nor open it (403); someone who accepts new ones only from people sharing a
   * group with them cannot be reached otherwise (403), though an existing one stays open.
   */
  async getOrCreateDirect(
    userId: string,
    otherId: string,
  ): Promise<{ conversation: ConversationView; created: boolean }> {
    if (otherId === userId) throw new BadRequestException('userId must be someone else');
    const [other] = await this.users.findByIds([otherId]);
    if (!other) throw new BadRequestException('userId names a user that does not exist');
    await this.blocks.assertNotBlockedBy(userId, [otherId]);
    const directKey = [userId, otherId].sort().join(':');
    const existing = await this.conversations.findDirectId(directKey);
    if (existing) return { conversation: await this.view(existing, userId), created: false };
    if (other.directMessages === 'shared-groups')
      await this.membership.assertShareGroup(userId, otherId);
    const created = await this.db.transaction(async (tx) => {
      const id = await this.conversations.insertDirect(tx, directKey, userId);
      if (id) {
        await this.membership.add(tx, id, [
          { userId, role: 'member' },
          { userId: otherId, role: 'member' },
        ]);
      }
      return id;
    });
    // A concurrent request may have created it between the look-up and the insert.
    const id = created ?? (await this.conversations.findDirectId(directKey));
    if (!id) throw new NotFoundException('Conversation not found');
    if (created) this.announceNew(id, [userId, otherId]);
    return { conversation: await this.view(id, userId), created: Boolean(created) };
  }

  /**
   * Either member switches a direct conversation to end-to-end encryption, for good: from then
   * on only envelopes are accepted (checked in the send batch under the same row lock), and a
   * system line in the caller's name says so. Idempotent.
   */
  async enableEncryption(conversationId: string, userId: string): Promise<ConversationView> {
    const members = await this.membership.assertMember(conversationId, userId);
    if ((await this.conversations.typeOf(conversationId)) !== 'direct')
      throw new BadRequestException('Only direct conversations can be end-to-end encrypted');
    const others = [...members].filter((id) => id !== userId);
    await this.blocks.assertNotBlockedBy(userId, others);
    if (await this.conversations.markEncrypted(conversationId)) {
      const [me] = await this.users.findByIds([userId]);
      const name = me?.displayName?.trim() || me?.username || 'Someone';
      await this.messages.recordEncryptionEnabled(userId, conversationId, name);
      this.events.emit(CONVERSATION_CHANGED, { conversationId, memberIds: [...members] });
    }
    return this.view(conversationId, userId);
  }

  async createGroup(ownerId: string, name: string, memberIds: string[]): Promise<ConversationView> {
    const others = [...new Set(memberIds)].filter((id) => id !== ownerId);
    if (others.length === 0)
      throw new BadRequestException('memberIds must name at least one other user');
    await this.assertUsersExist(others, 'memberIds');
    await this.blocks.assertNotBlockedBy(ownerId, others);
    const id = await this.db.transaction(async (tx) => {
      const conversationId = await this.conversations.insertGroup(tx, normaliseName(name), ownerId);
      await this.membership.add(tx, conversationId, [
        { userId: ownerId, role: 'owner' },
        ...others.map((userId) => ({ userId, role: 'member' as const })),
      ]);
      return conversationId;
    });
    this.announceNew(id, [ownerId, ...others]);
    return this.view(id, ownerId);
  }

  async rename(conversationId: string, actorId: string, name: string): Promise<ConversationView> {
    const roles = await this.assertManager(conversationId, actorId);
    await this.conversations.rename(conversationId, normaliseName(name));
    this.events.emit(CONVERSATION_CHANGED, { conversationId, memberIds: [...roles.keys()] });
    return this.view(conversationId, actorId);
  }

  async addMembers(
    conversationId: string,
    actorId: string,
    userIds: string[],
  ): Promise<ConversationView> {
    const roles = await this.assertManager(conversationId, actorId);
    const ids = [...new Set(userIds)];
    const joining = ids.filter((id) => !roles.has(id)).length;
    if (roles.size + joining > DEFAULT_LIMITS.groupMembersMax)
      throw new BadRequestException(
        `A group holds at most ${DEFAULT_LIMITS.groupMembersMax} members (it has ${roles.size})`,
      );
    await this.assertUsersExist(ids, 'userIds');
    await this.blocks.assertNotBlockedBy(
      actorId,
      ids.filter((id) => !roles.has(id)),
    );
    await this.membership.add(
      undefined,
      conversationId,
      ids.map((userId) => ({ userId, role: 'member' })),
    );
    await this.membership.invalidate(conversationId);
    const added = ids.filter((id) => !roles.has(id));
    if (added.length > 0) this.events.emit(MEMBERS_ADDED, { conversationId, userIds: added });
    this.events.emit(CONVERSATION_CHANGED, {
      conversationId,
      memberIds: [...(await this.membership.members(conversationId))],
    });
    return this.view(conversationId, actorId);
  }

  /** Removes a member (owner/admin), or the caller themself (leave). */
  async removeMember(conversationId: string, actorId: string, userId: string): Promise<void> {
    const roles = await this.membership.roles(conversationId);
    const actorRole = roles.get(actorId);
    if (!actorRole) throw new NotFoundException('Conversation not found');
    const targetRole = roles.get(userId);
    if (!targetRole) throw new NotFoundException('Not a member');
    if ((await this.conversations.typeOf(conversationId)) === 'direct')
      throw new BadRequestException('Direct conversations have no members to remove');
    if (actorId !== userId) {
      if (actorRole === 'member')
        throw new ForbiddenException('Only the owner or an admin can remove members');
      if (targetRole === 'owner') throw new ForbiddenException('The owner cannot be removed');
      if (targetRole === 'admin' && actorRole !== 'owner')
        throw new ForbiddenException('Only the owner can remove an admin');
    }
    await this.db.transaction(async (tx) => {
      // Once this commits, no send of the removed member can be stored any more.
      await this.conversations.lock(tx, conversationId);
      await this.membership.remove(tx, conversationId, userId, targetRole === 'owner');
    });
    await this.membership.invalidate(conversationId);
    this.events.emit(MEMBER_REMOVED, { conversationId, userId });
    this.events.emit(CONVERSATION_CHANGED, {
      conversationId,
      memberIds: [...(await this.membership.members(conversationId))],
    });
  }

  async setRole(
    conversationId: string,
    actorId: string,
    userId: string,
    role: 'admin' | 'member',
  ): Promise<ConversationView> {
    const roles = await this.membership.roles(conversationId);
    if (!roles.has(actorId)) throw new NotFoundException('Conversation not found');
    if (roles.get(actorId) !== 'owner')
      throw new ForbiddenException('Only the owner can change roles');
    if (!roles.has(userId)) throw new NotFoundException('Not a member');
    if (userId === actorId) throw new BadRequestException('The owner keeps their role');
    await this.membership.setRole(conversationId, userId, role);
    this.events.emit(CONVERSATION_CHANGED, { conversationId, memberIds: [...roles.keys()] });
    return this.view(conversationId, actorId);
  }

  /**
   * A deleted account leaves every group, as if it had left itself (ownership passes on). Its
   * direct conversations keep it, so that the other person keeps the history with "Deleted
   * user".
   */
  @OnDomainEvent(ACCOUNT_DELETED)
  async leaveAll({ userId }: AccountDeletedEvent): Promise<void> {
    const own = await this.membership.ownRows(userId);
    const groups = await this.conversations.findByIds(own.map((o) => o.conversation_id));
    for (const group of groups.filter((c) => c.type === 'group'))
      await this.removeMember(group.id, userId, userId);
  }

  private announceNew(conversationId: string, memberIds: string[]): void {
    this.events.emit(MEMBERS_ADDED, { conversationId, userIds: memberIds });
    this.events.emit(CONVERSATION_CHANGED, { conversationId, memberIds });
  }

  /** Views of the conversations behind the caller's own membership rows. */
  private async assemble(own: OwnMembershipRow[], userId: string): Promise<ConversationView[]> {
    if (own.length === 0) return [];
    const ids = own.map((o) => o.conversation_id);
    const [conversations, members, counts] = await Promise.all([
      this.conversations.findByIds(ids),
      this.membership.embeddedRowsOf(ids, [userId]),
      this.membership.memberCounts(ids),
    ]);
    const ownById = new Map(own.map((o) => [o.conversation_id, o]));
    const unread = conversations
      .map((c) => ({
        conversationId: c.id,
        afterSeq: Number(ownById.get(c.id)?.last_read_seq ?? 0),
        lastSeq: Number(c.lastSeq),
      }))
      .filter((u) => u.lastSeq > u.afterSeq);
    const memberIds = [...new Set(members.map((m) => m.user_id))];
    const [profiles, blockers, lastMessages, unreadDetails] = await Promise.all([
      this.users.findByIds(memberIds),
      this.blocks.blockersOf(userId, memberIds),
      this.messages.lastMessages(
        conversations.map((c) => ({ conversationId: c.id, seq: Number(c.lastSeq) })),
      ),
      this.messages.unreadDetails(userId, unread),
    ]);
    // Someone who blocked the caller shows offline to them, in every conversation.
    const users = new Map(profiles.map((u) => [u.id, toUserView(u, false, !blockers.has(u.id))]));
    const views: ConversationView[] = [];
    for (const conversation of conversations) {
      const mine = ownById.get(conversation.id);
      if (!mine) continue;
      const memberViews: ConversationMemberView[] = [];
      for (const m of members) {
        const user = m.conversation_id === conversation.id ? users.get(m.user_id) : undefined;
        if (user) memberViews.push(toMemberView(m, user));
      }
      views.push(
        toConversationView(
          conversation,
          mine,
          memberViews,
          counts.get(conversation.id) ?? memberViews.length,
          lastMessages.get(conversation.id) ?? null,
          unreadDetails.get(conversation.id),
        ),
      );
    }
    return views;
  }

  /** The actor's group, when they may manage it; answers its roles. */
  private async assertManager(
    conversationId: string,
    actorId: string,
  ): Promise<Map<string, MemberRole>> {
    const roles = await this.membership.roles(conversationId);
    const role = roles.get(actorId);
    if (!role) throw new NotFoundException('Conversation not found');
    if ((await this.conversations.typeOf(conversationId)) !== 'group')
      throw new BadRequestException('Only groups can be changed');
    if (role === 'member')
      throw new ForbiddenException('Only the owner or an admin can change the group');
    return roles;
  }

  /** An unknown user id is the caller's mistake: 400 naming the field. */
  private async assertUsersExist(ids: string[], field: string): Promise<void> {
    const found = await this.users.findByIds(ids);
    if (found.length !== new Set(ids).size)
      throw new BadRequestException(`${field} names a user that does not exist`);
  }
}
