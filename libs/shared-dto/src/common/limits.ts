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
  groupMembersMax: 256,
  historyPageDefault: 50,
  historyPageMax: 100,
  searchLimitDefault: 20,
  searchLimitMax: 50,
  clientIdMax: 64,
  typingExpiryMs: 5000,
} as const;

/** Letters, digits, `_`, `.` and `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
