import type { SessionView } from '@chat/shared-dto';

/** This device first, then the most recently used. */
export function sortSessions(sessions: readonly SessionView[]): SessionView[] {
  return [...sessions].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt.localeCompare(a.lastUsedAt),
  );
}

/**
 * A readable device name from the stored user agent: "Chrome on Linux", or the raw string when
 * it is not a browser (a script, a test client).
 */
export function deviceLabel(device: string): string {
  const ua = device || '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(Chrome|Chromium)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iOS/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux|X11/.test(ua)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} on ${os}`;
  if (browser) return browser;
  return ua.trim().slice(0, 60) || 'Unknown device';
}

export interface PasswordForm {
  current: string;
  next: string;
  confirm: string;
}

/** Client-side checks before `POST /api/auth/password` (the server checks again). */
export function passwordProblems(form: PasswordForm, min = 8, max = 128): Partial<PasswordForm> {
  const problems: Partial<PasswordForm> = {};
  if (!form.current) problems.current = 'Enter your current password.';
  if (form.next.length < min) problems.next = `At least ${min} characters.`;
  else if (form.next.length > max) problems.next = `At most ${max} characters.`;
  else if (form.next === form.current) problems.next = 'Choose a password you do not use now.';
  if (form.confirm !== form.next) problems.confirm = 'The passwords do not match.';
  return problems;
}

/** "::ffff:203.0.113.5" is an IPv4 address seen on a dual-stack socket: show it as IPv4. */
export function displayIp(ip: string | null | undefined): string {
  return (ip ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}
