/** Emitted after sessions are revoked (logout, revoking a device, a password change). */
export const SESSIONS_REVOKED = 'sessions.revoked';
export interface SessionsRevokedEvent {
  userId: string;
  sessionIds: string[];
}
