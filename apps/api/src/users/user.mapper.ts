import type { UserView } from '@chat/shared-dto';
import { UserEntity } from './user.entity';

/** A user as others see them; `self` adds the email, which nobody else ever gets. */
export function toUserView(user: UserEntity, self = false): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    statusMessage: user.statusMessage,
    status: user.status,
    lastSeen: user.lastSeen ? user.lastSeen.toISOString() : null,
    ...(self ? { email: user.email } : {}),
  };
}
