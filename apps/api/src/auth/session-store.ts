/** A login as stored: the JWT's `jti` is its id. */
export interface StoredSession {
  id: string;
  userId: string;
  device: string;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

/**
 * Where sessions live: Redis when it is configured (shared by every instance, expiring by
 * itself), PostgreSQL otherwise (kept across restarts of the single embedded instance).
 */
export abstract class SessionStore {
  abstract create(session: StoredSession): Promise<void>;
  /** The live session with this id, or null when unknown, revoked or expired. */
  abstract get(id: string): Promise<StoredSession | null>;
  abstract touch(id: string, at: Date): Promise<void>;
  abstract listForUser(userId: string): Promise<StoredSession[]>;
  /** Revokes one session; false when it was not the user's or not live. */
  abstract revoke(userId: string, id: string): Promise<boolean>;
  /** Revokes every session of the user except `keepId`; returns the revoked ids. */
  abstract revokeAllExcept(userId: string, keepId: string | null): Promise<string[]>;
}
