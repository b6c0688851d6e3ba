import type { MemberRole } from '@chat/shared-dto';
import { canManageGroup, memberActions, sortMembers } from './group-permissions';

const member = (id: string, role: MemberRole) => ({ id, role, username: id });

describe('group permissions', () => {
  it('lets the owner and admins manage the group', () => {
    expect(canManageGroup('owner')).toBe(true);
    expect(canManageGroup('admin')).toBe(true);
    expect(canManageGroup('member')).toBe(false);
    expect(canManageGroup(null)).toBe(false);
  });

  it('gives the owner every action on others, but none on the owner or themselves', () => {
    expect(memberActions('owner', member('m', 'member'), 'me')).toEqual({
      remove: true,
      makeAdmin: true,
      makeMember: false,
    });
    expect(memberActions('owner', member('a', 'admin'), 'me')).toEqual({
      remove: true,
      makeAdmin: false,
      makeMember: true,
    });
    expect(memberActions('owner', member('me', 'owner'), 'me')).toEqual({
      remove: false,
      makeAdmin: false,
      makeMember: false,
    });
  });

  it('lets an admin remove members only, never admins or the owner', () => {
    expect(memberActions('admin', member('m', 'member'), 'me')).toEqual({
      remove: true,
      makeAdmin: false,
      makeMember: false,
    });
    expect(memberActions('admin', member('a', 'admin'), 'me').remove).toBe(false);
    expect(memberActions('admin', member('o', 'owner'), 'me').remove).toBe(false);
  });

  it('gives a plain member no actions', () => {
    expect(memberActions('member', member('m', 'member'), 'me')).toEqual({
      remove: false,
      makeAdmin: false,
      makeMember: false,
    });
  });

  it('sorts owner, admins, then members, the viewer first within a role', () => {
    const sorted = sortMembers(
      [
        member('zed', 'member'),
        member('me', 'member'),
        member('amy', 'admin'),
        member('bo', 'owner'),
      ],
      'me',
      (m) => m.username,
    );
    expect(sorted.map((m) => m.id)).toEqual(['bo', 'amy', 'me', 'zed']);
  });
});
