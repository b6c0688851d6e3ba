import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConversationView, MemberRole } from '@chat/shared-dto';
import { DataSource, EntityManager } from 'typeorm';
import { Broadcaster } from '../core/realtime/broadcaster';
import { MESSAGE_COLUMNS, MessageRow, toMessageView } from '../messages/message.mapper';
import { ConversationRow, MemberRow, toConversationView } from './conversation.mapper';
import { MembershipService } from './membership.service';

const CONVERSATION_COLUMNS = `c.id, c.type, c.name, c.created_at, c.last_seq, c.last_message_at,
  me.last_read_seq AS my_last_read_seq, me.muted_until AS my_muted_until`;

const MEMBER_SELECT = `SELECT cm.conversation_id, cm.user_id, cm.role, cm.last_read_seq, cm.last_delivered_seq,
    u.username, u.display_name, u.avatar_url, u.status_message, u.status, u.last_seen
  FROM conversation_members cm JOIN users u ON u.id = cm.user_id`;

@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly membership: MembershipService,
    private readonly broadcaster: Broadcaster,
  ) {}

  /** The caller's conversations, newest activity first, in two queries whatever their number. */
  async list(userId: string): Promise<ConversationView[]> {
    const rows = await this.db.query<
      (ConversationRow & Partial<Record<`lm_${string}`, unknown>>)[]
    >(
      `SELECT ${CONVERSATION_COLUMNS}, row_to_json(lm) AS last_message
         FROM conversation_members me
         JOIN conversations c ON c.id = me.conversation_id
         LEFT JOIN LATERAL (
           SELECT ${MESSAGE_COLUMNS} FROM messages m
            WHERE m.conversation_id = c.id AND m.seq = c.last_seq
         ) lm ON true
        WHERE me.user_id = $1
        ORDER BY COALESCE(c.last_message_at, c.created_at) DESC`,
      [userId],
    );
    if (rows.length === 0) return [];
    const members = await this.db.query<MemberRow[]>(
      `${MEMBER_SELECT} WHERE cm.conversation_id = ANY($1::uuid[]) ORDER BY cm.joined_at`,
      [rows.map((r) => r.id)],
    );
    const byConversation = groupBy(members, (m) => m.conversation_id);
    return rows.map((row) => {
      const last = (row as { last_message?: MessageRow | null }).last_message;
      return toConversationView(
        row,
        byConversation.get(row.id) ?? [],
        last ? toMessageView(last) : null,
      );
    });
  }

  /** One conversation as `userId` sees it; 404 when they are not a member. */
  async view(
    conversationId: string,
    userId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ConversationView> {
    const [row] = await manager.query<(ConversationRow & { last_message: MessageRow | null })[]>(
      `SELECT ${CONVERSATION_COLUMNS},
         (SELECT row_to_json(lm) FROM (SELECT ${MESSAGE_COLUMNS} FROM messages m
            WHERE m.conversation_id = c.id AND m.seq = c.last_seq) lm) AS last_message
         FROM conversations c JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = $2
        WHERE c.id = $1`,
      [conversationId, userId],
    );
    if (!row) throw new NotFoundException('Conversation not found');
    const members = await manager.query<MemberRow[]>(
      `${MEMBER_SELECT} WHERE cm.conversation_id = $1 ORDER BY cm.joined_at`,
      [conversationId],
    );
    return toConversationView(
      row,
      members,
      row.last_message ? toMessageView(row.last_message) : null,
    );
  }

  /**
   * The one direct conversation of a pair, created by whoever asks first. The unique
   * `direct_key` makes concurrent requests converge on one row.
   */
  async getOrCreateDirect(
    userId: string,
    otherId: string,
  ): Promise<{ conversation: ConversationView; created: boolean }> {
    if (otherId === userId) throw new BadRequestException('userId must be someone else');
    await this.assertUsersExist([otherId], 'userId');
    const directKey = [userId, otherId].sort().join(':');
    const created = await this.db.transaction(async (tx) => {
      const inserted = await tx.query<{ id: string }[]>(
        `INSERT INTO conversations (type, direct_key, created_by) VALUES ('direct', $1, $2)
         ON CONFLICT (direct_key) DO NOTHING RETURNING id`,
        [directKey, userId],
      );
      if (inserted.length === 0) return null;
      await tx.query(
        `INSERT INTO conversation_members (conversation_id, user_id, role) VALUES ($1, $2, 'member'), ($1, $3, 'member')`,
        [inserted[0].id, userId, otherId],
      );
      return inserted[0].id;
    });
    const [{ id }] = created
      ? [{ id: created }]
      : await this.db.query<{ id: string }[]>(
          'SELECT id FROM conversations WHERE direct_key = $1',
          [directKey],
        );
    if (created) await this.announce(id, [userId, otherId]);
    return { conversation: await this.view(id, userId), created: Boolean(created) };
  }

  async createGroup(ownerId: string, name: string, memberIds: string[]): Promise<ConversationView> {
    const others = [...new Set(memberIds)].filter((id) => id !== ownerId);
    if (others.length === 0)
      throw new BadRequestException('memberIds must name at least one other user');
    await this.assertUsersExist(others, 'memberIds');
    const id = await this.db.transaction(async (tx) => {
      const [{ id: conversationId }] = await tx.query<{ id: string }[]>(
        `INSERT INTO conversations (type, name, created_by) VALUES ('group', $1, $2) RETURNING id`,
        [name.trim(), ownerId],
      );
      await tx.query(
        `INSERT INTO conversation_members (conversation_id, user_id, role)
         SELECT $1, u, CASE WHEN u = $2 THEN 'owner' ELSE 'member' END FROM unnest($3::uuid[]) AS u`,
        [conversationId, ownerId, [ownerId, ...others]],
      );
      return conversationId;
    });
    await this.announce(id, [ownerId, ...others]);
    return this.view(id, ownerId);
  }

  async rename(conversationId: string, actorId: string, name: string): Promise<ConversationView> {
    await this.assertManager(conversationId, actorId);
    await this.db.query('UPDATE conversations SET name = $2 WHERE id = $1', [
      conversationId,
      name.trim(),
    ]);
    await this.announce(conversationId, await this.membership.members(conversationId));
    return this.view(conversationId, actorId);
  }

  async addMembers(
    conversationId: string,
    actorId: string,
    userIds: string[],
  ): Promise<ConversationView> {
    await this.assertManager(conversationId, actorId);
    const ids = [...new Set(userIds)];
    await this.assertUsersExist(ids, 'userIds');
    await this.db.query(
      `INSERT INTO conversation_members (conversation_id, user_id, role)
       SELECT $1, u, 'member' FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING`,
      [conversationId, ids],
    );
    await this.membership.invalidate(conversationId);
    await this.announce(conversationId, await this.membership.members(conversationId));
    return this.view(conversationId, actorId);
  }

  /** Removes a member (owner/admin), or the caller themself (leave). */
  async removeMember(conversationId: string, actorId: string, userId: string): Promise<void> {
    const roles = await this.roles(conversationId);
    const actorRole = roles.get(actorId);
    if (!actorRole) throw new NotFoundException('Conversation not found');
    const targetRole = roles.get(userId);
    if (!targetRole) throw new NotFoundException('Not a member');
    const type = await this.typeOf(conversationId);
    if (type === 'direct')
      throw new BadRequestException('Direct conversations have no members to remove');
    if (actorId !== userId) {
      if (actorRole === 'member')
        throw new ForbiddenException('Only the owner or an admin can remove members');
      if (targetRole === 'owner') throw new ForbiddenException('The owner cannot be removed');
      if (targetRole === 'admin' && actorRole !== 'owner')
        throw new ForbiddenException('Only the owner can remove an admin');
    }
    await this.db.transaction(async (tx) => {
      await tx.query(
        'DELETE FROM conversation_members WHERE conversation_id = $1 AND user_id = $2',
        [conversationId, userId],
      );
      if (targetRole === 'owner') {
        // The owner left: the longest-standing admin, else member, takes over.
        await tx.query(
          `UPDATE conversation_members SET role = 'owner'
            WHERE conversation_id = $1 AND user_id = (
              SELECT user_id FROM conversation_members WHERE conversation_id = $1
               ORDER BY (role = 'admin') DESC, joined_at LIMIT 1)`,
          [conversationId],
        );
      }
    });
    await this.membership.invalidate(conversationId);
    this.broadcaster.toUsers([userId], 'conversation:removed', { conversationId });
    await this.announce(conversationId, await this.membership.members(conversationId));
  }

  async setRole(
    conversationId: string,
    actorId: string,
    userId: string,
    role: 'admin' | 'member',
  ): Promise<ConversationView> {
    const roles = await this.roles(conversationId);
    if (!roles.has(actorId)) throw new NotFoundException('Conversation not found');
    if (roles.get(actorId) !== 'owner')
      throw new ForbiddenException('Only the owner can change roles');
    if (!roles.has(userId)) throw new NotFoundException('Not a member');
    if (userId === actorId) throw new BadRequestException('The owner keeps their role');
    await this.db.query(
      'UPDATE conversation_members SET role = $3 WHERE conversation_id = $1 AND user_id = $2',
      [conversationId, userId, role],
    );
    await this.announce(conversationId, roles.keys());
    return this.view(conversationId, actorId);
  }

  /** Tells each member about a new or changed conversation, as each of them sees it. */
  private async announce(conversationId: string, memberIds: Iterable<string>): Promise<void> {
    for (const memberId of memberIds) {
      const view = await this.view(conversationId, memberId).catch(() => null);
      if (view) this.broadcaster.toUsers([memberId], 'conversation:updated', view);
    }
  }

  private async assertManager(conversationId: string, actorId: string): Promise<void> {
    const roles = await this.roles(conversationId);
    const role = roles.get(actorId);
    if (!role) throw new NotFoundException('Conversation not found');
    if ((await this.typeOf(conversationId)) !== 'group')
      throw new BadRequestException('Only groups can be changed');
    if (role === 'member')
      throw new ForbiddenException('Only the owner or an admin can change the group');
  }

  private async roles(conversationId: string): Promise<Map<string, MemberRole>> {
    const rows = await this.db.query<{ user_id: string; role: MemberRole }[]>(
      'SELECT user_id, role FROM conversation_members WHERE conversation_id = $1',
      [conversationId],
    );
    return new Map(rows.map((r) => [r.user_id, r.role]));
  }

  private async typeOf(conversationId: string): Promise<'direct' | 'group'> {
    const [row] = await this.db.query<{ type: 'direct' | 'group' }[]>(
      'SELECT type FROM conversations WHERE id = $1',
      [conversationId],
    );
    if (!row) throw new NotFoundException('Conversation not found');
    return row.type;
  }

  /** An unknown user id is the caller's mistake: 400 naming the field. */
  private async assertUsersExist(ids: string[], field: string): Promise<void> {
    const rows = await this.db.query<{ id: string }[]>(
      'SELECT id FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    if (rows.length !== ids.length)
      throw new BadRequestException(`${field} names a user that does not exist`);
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
