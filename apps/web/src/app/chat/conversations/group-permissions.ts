import type { ConversationMemberView, MemberRole } from '@chat/shared-dto';

/**
 * What the viewer may do in a group, mirroring the server's rules (it decides; these only hide
 * buttons that would be refused): the owner and admins rename, add and remove; only the owner
 * changes roles or removes an admin; nobody removes the owner.
 */
export interface MemberActions {
  remove: boolean;
  makeAdmin: boolean;
  makeMember: boolean;
}

export function canManageGroup(role: MemberRole | null | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

export function memberActions(
  actor: MemberRole | null | undefined,
  target: Pick<ConversationMemberView, 'id' | 'role'>,
  selfId: string | null,
): MemberActions {
  const none = { remove: false, makeAdmin: false, makeMember: false };
  if (!actor || target.id === selfId || target.role === 'owner') return none;
  return {
    remove: actor === 'owner' || (actor === 'admin' && target.role === 'member'),
    makeAdmin: actor === 'owner' && target.role === 'member',
    makeMember: actor === 'owner' && target.role === 'admin',
  };
}

const ROLE_ORDER: Record<MemberRole, number> = { owner: 0, admin: 1, member: 2 };

/** Owner first, then admins, then members; the viewer first within their role; then by name. */
export function sortMembers<T extends Pick<ConversationMemberView, 'id' | 'role' | 'username'>>(
  members: readonly T[],
  selfId: string | null,
  name: (member: T) => string,
): T[] {
  return [...members].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      Number(b.id === selfId) - Number(a.id === selfId) ||
      name(a).localeCompare(name(b)),
  );
}
