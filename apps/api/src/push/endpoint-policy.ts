import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A push endpoint this server will not call; its message is safe to show the caller. */
export class EndpointRefusedError extends Error {
  override readonly name = 'EndpointRefusedError';
}

export interface EndpointPolicyOptions {
  /** Tests only: also `http:` and loopback push services. */
  allowInsecure: boolean;
}

/** Resolves a host name to every address it has, as `dns.lookup` with `all: true` does. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/**
 * Whether the server may connect to `address`. Only ipaddr.js's `unicast` range passes: this
 * refuses loopback, private, link-local, carrier-grade NAT, unique-local, multicast, reserved
 * and documentation ranges, and the IPv6 forms that embed an IPv4 address (mapped, NAT64,
 * 6to4, Teredo) unless the embedded address passes itself.
 */
export function isAllowedAddress(address: string, options: EndpointPolicyOptions): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address becomes its IPv4 address
  const range = parsed.range();
  if (range === 'unicast') return true;
  return options.allowInsecure && range === 'loopback';
}

/**
 * Checks a subscription endpoint before it is stored and before each push: an https URL (http
 * too when insecure endpoints are allowed) without credentials, whose host is, or resolves only
 * to, addresses that `isAllowedAddress` accepts. A push subscription must never make this
 * server call an internal address.
 */
export async function assertAllowedEndpoint(
  raw: string,
  options: EndpointPolicyOptions,
  resolve: Resolver = systemResolver,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointRefusedError('endpoint must be an absolute URL');
  }
  const protocols = options.allowInsecure ? ['https:', 'http:'] : ['https:'];
  if (!protocols.includes(url.protocol))
    throw new EndpointRefusedError('endpoint must be an https URL');
  if (url.username || url.password)
    throw new EndpointRefusedError('endpoint must not carry credentials');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new EndpointRefusedError('endpoint must name a host');
  if (isIP(host)) {
    if (!isAllowedAddress(host, options))
      throw new EndpointRefusedError('endpoint must be on a public address');
    return url;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new EndpointRefusedError('endpoint host does not resolve');
  }
  if (addresses.length === 0) throw new EndpointRefusedError('endpoint host does not resolve');
  // Every address, not just the first: the connection may use any of them.
  if (!addresses.every((a) => isAllowedAddress(a.address, options)))
    throw new EndpointRefusedError('endpoint host resolves to a non-public address');
  return url;
}

/**
 * A `lookup` for `http(s).request` that applies the same rule at connect time, so a name that
 * resolved to a public address when checked cannot be re-pointed at an internal one (DNS
 * rebinding) before the connection is made.
 */
export function guardedLookup(
  options: EndpointPolicyOptions,
  resolve: Resolver = systemResolver,
): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (
          addresses.length === 0 ||
          !addresses.every((a) => isAllowedAddress(a.address, options))
        ) {
          const err: NodeJS.ErrnoException = new EndpointRefusedError(
            `push endpoint ${hostname} resolves to a non-public address`,
          );
          err.code = 'EPUSHREFUSED';
          callback(err, []);
          return;
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}
