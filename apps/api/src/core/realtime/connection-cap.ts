import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { compileTrust, type TrustFunction, type TrustSetting } from '../http/trusted-proxy';

/** Addresses whose refusal was already reported are remembered up to this many. */
const MAX_REPORTED_ADDRESSES = 256;

/**
 * Caps concurrent Socket.IO connections per client address (0 = no cap), so that one address
 * cannot hold an instance's memory and file descriptors. Counts live Engine.IO connections on
 * this instance; the client address is taken through trusted proxies only.
 */
export class ConnectionCap {
  private readonly counts = new Map<string, number>();
  private readonly trust: TrustFunction;
  /** Addresses refused since they last dropped below the cap: reported once per episode. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly limit: number,
    trustProxy: TrustSetting,
    private readonly onRefusing: (address: string, limit: number) => void = () => undefined,
  ) {
    this.trust = compileTrust(trustProxy);
  }

  clientAddress(req: IncomingMessage): string {
    return proxyaddr(req, this.trust);
  }

  /** Whether a new connection from this request's address may be opened. */
  allows(req: IncomingMessage): boolean {
    if (this.limit <= 0) return true;
    const address = this.clientAddress(req);
    if ((this.counts.get(address) ?? 0) < this.limit) return true;
    if (!this.reported.has(address) && this.reported.size < MAX_REPORTED_ADDRESSES) {
      this.reported.add(address);
      this.onRefusing(address, this.limit);
    }
    return false;
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
      if (left < this.limit) this.reported.delete(address);
    };
  }
}
