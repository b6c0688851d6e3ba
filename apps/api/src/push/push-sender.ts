import http from 'node:http';
import https from 'node:https';
import type { PushPayload } from '@chat/shared-dto';
import webpush from 'web-push';
import { LookupFunction } from 'node:net';
import {
  assertAllowedEndpoint,
  EndpointPolicyOptions,
  guardedLookup,
  Resolver,
  systemResolver,
} from './endpoint-policy';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface VapidDetails {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/**
 * What the push service said: `sent`, `gone` (404/410: the subscription no longer exists),
 * `refused` (the endpoint now points somewhere this server does not call), `retry` (429, 5xx,
 * a network error: try later) or `rejected` (another 4xx: trying again will not help).
 */
export type PushOutcome =
  | { result: 'sent' | 'gone' | 'refused'; status?: number }
  | { result: 'retry' | 'rejected'; status?: number; reason: string };

/** A push that is not delivered within a day is no longer news. */
const TTL_SECONDS = 24 * 3600;
const TIMEOUT_MS = 10_000;

/**
 * Encrypts (aes128gcm) and signs (VAPID) with web-push, then sends the request itself so that
 * the connection goes through the endpoint policy: web-push's own transport is https only and
 * resolves names without the address check.
 */
export class PushSender {
  /** Kept-alive connections to the few push services; each new socket's lookup is checked. */
  private readonly agents: { 'https:': https.Agent; 'http:': http.Agent };

  constructor(
    private readonly policy: EndpointPolicyOptions,
    private readonly resolve: Resolver = systemResolver,
  ) {
    const lookup: LookupFunction = guardedLookup(policy, resolve);
    const options = { keepAlive: true, maxSockets: 64, lookup };
    this.agents = { 'https:': new https.Agent(options), 'http:': new http.Agent(options) };
  }

  close(): void {
    this.agents['https:'].destroy();
    this.agents['http:'].destroy();
  }

  async send(
    target: PushTarget,
    payload: PushPayload,
    topic: string,
    vapid: VapidDetails,
  ): Promise<PushOutcome> {
    try {
      await assertAllowedEndpoint(target.endpoint, this.policy, this.resolve);
    } catch {
      return { result: 'refused' };
    }
    const details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: vapid,
        TTL: TTL_SECONDS,
        topic,
        urgency: 'high',
        contentEncoding: 'aes128gcm',
      },
    );
    const url = new URL(details.endpoint);
    const secure = url.protocol === 'https:';
    const transport = secure ? https : http;
    return new Promise<PushOutcome>((resolve) => {
      const req = transport.request(
        url,
        {
          method: details.method,
          headers: details.headers,
          timeout: TIMEOUT_MS,
          agent: secure ? this.agents['https:'] : this.agents['http:'],
        },
        (res) => {
          // The body is never needed; draining it frees the socket.
          res.resume();
          resolve(classify(res.statusCode ?? 0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('push service timed out')));
      req.on('error', (err: NodeJS.ErrnoException) =>
        resolve(
          err.code === 'EPUSHREFUSED'
            ? { result: 'refused' }
            : { result: 'retry', reason: err.message },
        ),
      );
      req.end(details.body ?? undefined);
    });
  }
}

export function classify(status: number): PushOutcome {
  if (status >= 200 && status < 300) return { result: 'sent', status };
  if (status === 404 || status === 410) return { result: 'gone', status };
  if (status === 429 || status >= 500)
    return { result: 'retry', status, reason: `push service answered ${status}` };
  return { result: 'rejected', status, reason: `push service answered ${status}` };
}
