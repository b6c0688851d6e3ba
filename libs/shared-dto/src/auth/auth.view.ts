import type { UserView } from '../users/user.view';

export interface AuthResponse {
  user: UserView;
  token: string;
}

/** One login of the caller (`GET /api/auth/sessions`). */
export interface SessionView {
  id: string;
  device: string;
  ip?: string | null;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  current: boolean;
}
