import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { compileTrust, type TrustFunction, type TrustSetting } from './trusted-proxy';

/** Logged refusals are remembered up to this many origins, so random Origins cannot grow memory. */
const MAX_REMEMBERED_REFUSALS = 256;

function firstHeader(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const first = raw?.split(',')[0]?.trim();
  return first || undefined;
}

function normalise(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * Which browser origins may use the API: its own origin, whatever host and port it was reached
 * by (so `PORT=3300` or `http://127.0.0.1:3000` just work), plus the `CLIENT_URL` list. The own
 * origin is the request's `Host` and scheme, or `X-Forwarded-Host`/`-Proto` when the peer is a
 * trusted proxy (the same `TRUST_PROXY` notion as Express's `trust proxy`).
 */
export class OriginPolicy {
  private readonly logger = new Logger(OriginPolicy.name);
  private readonly allowed: ReadonlySet<string>;
  private readonly any: boolean;
  private readonly trust: TrustFunction;
  private readonly refused = new Set<string>();

  constructor(
    configured: readonly string[],
    trustProxy: TrustSetting,
    private readonly surface: string,
  ) {
    this.any = configured.includes('*');
    this.allowed = new Set(
      configured.map(normalise).filter((origin): origin is string => origin !== null),
    );
    this.trust = compileTrust(trustProxy);
  }

  /** The origin this request addressed, e.g. `https://chat.example.com`. */
  ownOrigin(req: IncomingMessage): string | null {
    const peer = req.socket?.remoteAddress ?? '';
    const proxied = peer !== '' && this.trust(peer, 0);
    const encrypted = (req.socket as TLSSocket | undefined)?.encrypted === true;
    const proto =
      (proxied ? firstHeader(req.headers['x-forwarded-proto']) : undefined) ??
      (encrypted ? 'https' : 'http');
    const host =
      (proxied ? firstHeader(req.headers['x-forwarded-host']) : undefined) ??
      firstHeader(req.headers.host);
    return host ? normalise(`${proto}://${host}`) : null;
  }

  /** A request without Origin (not a browser, or same-origin GET) is not refused here. */
  allows(req: IncomingMessage): boolean {
    const header = firstHeader(req.headers.origin);
    if (!header) return true;
    if (this.any) return true;
    const origin = normalise(header);
    if (origin && (this.allowed.has(origin) || origin === this.ownOrigin(req))) return true;
    this.logRefusal(header);
    return false;
  }

  private logRefusal(origin: string): void {
    if (this.refused.has(origin) || this.refused.size >= MAX_REMEMBERED_REFUSALS) return;
    this.refused.add(origin);
    this.logger.warn(
      `${this.surface}: refused origin ${JSON.stringify(origin.slice(0, 200))}. ` +
        'If this is where your users open the app, add it to CLIENT_URL (comma-separated); ' +
        'behind a proxy, set TRUST_PROXY so X-Forwarded-Host and -Proto are honoured.',
    );
  }
}
