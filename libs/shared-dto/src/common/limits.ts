/** Defaults of the limits in CONTRACT.md; the API reads the live values from its environment. */
export const DEFAULT_LIMITS = {
  maxMessageLength: 4000,
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 128,
  displayNameMax: 64,
  statusMessageMax: 140,
  groupNameMax: 100,
  /** Members a group may hold in all. */
  groupMembersMax: 10_000,
  /** Ids one create or add request may carry: 1,000 uuids stay under the 64 KiB body limit. */
  groupMembersPerRequestMax: 1000,
  /**
   * Members embedded in a conversation payload (in joining order, plus the viewer): every group
   * that existed under the old 256 cap is complete; larger ones page through
   * `GET /api/conversations/:id/members` and say their size in `memberCount`.
   */
  embeddedMembersMax: 256,
  membersPageDefault: 50,
  membersPageMax: 200,
  /** As many as `embeddedMembersMax`: a group under the old cap still gets complete lists. */
  receiptsListDefault: 256,
  receiptsListMax: 256,
  historyPageDefault: 50,
  historyPageMax: 100,
  searchLimitDefault: 20,
  searchLimitMax: 50,
  clientIdMax: 64,
  typingExpiryMs: 5000,
} as const;

/** Letters, digits, `_`, `.` and `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
