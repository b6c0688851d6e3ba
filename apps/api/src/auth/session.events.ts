/** Sessions were revoked (logout, revoke, password change): their tokens no longer work. */
export const SESSIONS_REVOKED = 'sessions.revoked';

export interface SessionsRevokedEvent {
  userId: string;
  sessionIds: string[];
}

declare module '../core/events/domain-events' {
  interface DomainEventMap {
    [SESSIONS_REVOKED]: SessionsRevokedEvent;
  }
}
