import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustSetting = string | number | boolean;
export type TrustFunction = (addr: string, hop: number) => boolean;

/** The same notion of "trusted proxy" as Express's `trust proxy` setting (`TRUST_PROXY`). */
export function compileTrust(setting: TrustSetting): TrustFunction {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_addr, hop) => hop < setting;
  return proxyaddr.compile(setting.split(',').map((s) => s.trim()));
}

/**
 * Warns once per surface (HTTP, Socket.IO) when a request carries `X-Forwarded-For` from a peer that is not a
 * trusted proxy: behind a balancer that `TRUST_PROXY` does not cover, every client seems to come
 * from the balancer's address, so per-address limits (connections, anonymous requests) would
 * lump them all together.
 */
export class UntrustedProxyWarning {
  private readonly logger = new Logger('TrustProxy');
  private readonly trust: TrustFunction;
  private warned = false;

  constructor(
    private readonly setting: TrustSetting,
    private readonly surface: string,
  ) {
    this.trust = compileTrust(setting);
  }

  check(req: IncomingMessage): void {
    if (this.warned || req.headers['x-forwarded-for'] === undefined) return;
    const peer = req.socket?.remoteAddress ?? '';
    if (this.trust(peer, 0)) return;
    this.warned = true;
    this.logger.warn(
      `${this.surface} requests from ${peer} carry X-Forwarded-For, but TRUST_PROXY (${String(this.setting)}) ` +
        'does not trust that address: clients are seen as the proxy, and per-address limits ' +
        'count them together. Set TRUST_PROXY to the proxy addresses.',
    );
  }
}
