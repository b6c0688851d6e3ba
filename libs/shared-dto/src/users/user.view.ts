export type PresenceStatus = 'online' | 'offline';

/** Who may open a new direct conversation with a user. */
export const DIRECT_MESSAGE_POLICIES = ['everyone', 'shared-groups'] as const;
export type DirectMessagePolicy = (typeof DIRECT_MESSAGE_POLICIES)[number];

/** A user as others see them; `email` and `directMessages` appear only on the caller's own record. */
export interface UserView {
  id: string;
  username: string;
  displayName?: string | null;
  avatarUrl?: string | null;
  statusMessage?: string | null;
  status: PresenceStatus;
  lastSeen?: string | null;
  email?: string;
  directMessages?: DirectMessagePolicy;
}
