import type { UserView } from '@chat/shared-dto';
import { UserEntity } from './user.entity';

/**
 * A user as others see them; `self` adds the email and the direct-message setting, which nobody else ever gets. Without
 * `presence` (a caller who shares no conversation with them) the view says `offline` with no
 * `lastSeen`, the same as for anyone offline, so strangers cannot watch someone's activity.
 */
export function toUserView(user: UserEntity, self = false, presence = true): UserView {
  const shown = self || presence;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    statusMessage: user.statusMessage,
    status: shown ? user.status : 'offline',
    lastSeen: shown && user.lastSeen ? user.lastSeen.toISOString() : null,
    ...(self ? { email: user.email, directMessages: user.directMessages } : {}),
  };
}
