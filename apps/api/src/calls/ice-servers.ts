import { createHmac } from 'node:crypto';
import type { IceServersView } from '@chat/shared-dto';
import type { AppConfig } from '../core/config/app-config';

/**
 * coturn's time-limited credentials (its REST API scheme, `use-auth-secret`): the username is
 * `<unix expiry>:<userId>` and the password base64(HMAC-SHA1(secret, username)), so coturn
 * checks them with the shared secret alone and they stop working at the expiry.
 */
export function turnCredentials(
  secret: string,
  userId: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): { username: string; credential: string } {
  const username = `${Math.floor(nowMs / 1000) + ttlSeconds}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export function iceServersFor(
  calls: AppConfig['calls'],
  userId: string,
  nowMs = Date.now(),
): IceServersView {
  const iceServers: IceServersView['iceServers'] = [];
  if (calls.stunUrls.length > 0) iceServers.push({ urls: calls.stunUrls });
  if (calls.turn) {
    const { urls, secret, ttlSeconds } = calls.turn;
    iceServers.push({ urls, ...turnCredentials(secret, userId, ttlSeconds, nowMs) });
  }
  return { iceServers };
}
