import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

type TrustSetting = string | number | boolean;

/** The same notion of "trusted proxy" as Express's `trust proxy` setting. */
function compileTrust(setting: TrustSetting): (addr: string, hop: number) => boolean {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_addr, hop) => hop < setting;
  return proxyaddr.compile(setting.split(',').map((s) => s.trim()));
}

/**
 * Caps concurrent Socket.IO connections per client address (0 = no cap), so that one address
 * cannot hold an instance's memory and file descriptors. Counts live Engine.IO connections on
 * this instance; the client address is taken through trusted proxies only.
 */
export class ConnectionCap {
  private readonly counts = new Map<string, number>();
  private readonly trust: (addr: string, hop: number) => boolean;

  constructor(
    private readonly limit: number,
    trustProxy: TrustSetting,
  ) {
    this.trust = compileTrust(trustProxy);
  }

  clientAddress(req: IncomingMessage): string {
    return proxyaddr(req, this.trust);
  }

  /** Whether a new connection from this request's address may be opened. */
  allows(req: IncomingMessage): boolean {
    return this.limit <= 0 || (this.counts.get(this.clientAddress(req)) ?? 0) < this.limit;
  }

  /** Counts an opened connection; the returned function uncounts it when it closes. */
  opened(req: IncomingMessage): () => void {
    const address = this.clientAddress(req);
    this.counts.set(address, (this.counts.get(address) ?? 0) + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.counts.get(address) ?? 1) - 1;
      if (left <= 0) this.counts.delete(address);
      else this.counts.set(address, left);
    };
  }
}
