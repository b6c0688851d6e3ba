/** A user changed what others see of them: display name, status message or avatar. */
export const PROFILE_CHANGED = 'user.profile-changed';

export interface ProfileChangedEvent {
  userId: string;
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [PROFILE_CHANGED]: ProfileChangedEvent;
  }
}
