import { SetMetadata } from '@nestjs/common';

export const ACCEPTS_SESSION_COOKIE = 'auth:session-cookie';

/**
 * A GET route the browser reaches through media tags (`<img>`, `<audio>`), which cannot send a
 * bearer token: it also accepts the session cookie set at login. Only for reads; every other
 * route takes the bearer token alone, so the cookie can never drive a state change (CSRF).
 */
export const SessionCookieAuth = () => SetMetadata(ACCEPTS_SESSION_COOKIE, true);
