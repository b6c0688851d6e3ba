export type PresenceStatus = 'online' | 'offline';

/** A user as others see them; `email` appears only on the caller's own record. */
export interface UserView {
  id: string;
  username: string;
  displayName?: string | null;
  avatarUrl?: string | null;
  statusMessage?: string | null;
  status: PresenceStatus;
  lastSeen?: string | null;
  email?: string;
}
