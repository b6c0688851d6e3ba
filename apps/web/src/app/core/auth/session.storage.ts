import type { UserView } from '@chat/shared-dto';

export const TOKEN_KEY = 'chat.token';
export const USER_KEY = 'chat.user';

export interface StoredSession {
  token: string | null;
  user: UserView | null;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readSession(): StoredSession {
  const store = storage();
  const token = store?.getItem(TOKEN_KEY) ?? null;
  let user: UserView | null = null;
  try {
    const raw = store?.getItem(USER_KEY);
    user = raw ? (JSON.parse(raw) as UserView) : null;
  } catch {
    user = null;
  }
  return { token: token || null, user: token ? user : null };
}

export function writeSession(session: StoredSession): void {
  const store = storage();
  if (!store) return;
  try {
    if (session.token) store.setItem(TOKEN_KEY, session.token);
    else store.removeItem(TOKEN_KEY);
    if (session.user && session.token) store.setItem(USER_KEY, JSON.stringify(session.user));
    else store.removeItem(USER_KEY);
  } catch {
    // Private mode or a full quota: the session simply will not survive a reload.
  }
}
