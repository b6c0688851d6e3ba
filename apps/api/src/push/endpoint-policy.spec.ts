import type { LookupAddress } from 'node:dns';
import {
  assertAllowedEndpoint,
  guardedLookup,
  isAllowedAddress,
  Resolver,
} from './endpoint-policy';

const strict = { allowInsecure: false };
const insecure = { allowInsecure: true };
const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('isAllowedAddress', () => {
  it.each(['8.8.8.8', '142.250.74.10', '2607:f8b0:4004:c07::5f', '::ffff:8.8.8.8'])(
    'allows public %s',
    (a) => {
      expect(isAllowedAddress(a, strict)).toBe(true);
    },
  );

  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::',
    '2001:db8::1',
    'not an address',
  ])('refuses %s', (a) => {
    expect(isAllowedAddress(a, strict)).toBe(false);
  });

  it('lets insecure test mode reach loopback, never private ranges', () => {
    expect(isAllowedAddress('127.0.0.1', insecure)).toBe(true);
    expect(isAllowedAddress('::1', insecure)).toBe(true);
    expect(isAllowedAddress('10.0.0.1', insecure)).toBe(false);
    expect(isAllowedAddress('169.254.169.254', insecure)).toBe(false);
  });
});

describe('assertAllowedEndpoint', () => {
  it('accepts an https URL whose name resolves only to public addresses', async () => {
    const url = await assertAllowedEndpoint(
      'https://push.example.com/s/1',
      strict,
      resolvesTo('203.0.114.9', '2607:f8b0::1'),
    );
    expect(url.hostname).toBe('push.example.com');
  });

  it('refuses a name with any non-public address among its answers', async () => {
    await expect(
      assertAllowedEndpoint(
        'https://push.example.com/s/1',
        strict,
        resolvesTo('8.8.8.8', '10.0.0.7'),
      ),
    ).rejects.toThrow(/non-public address/);
  });

  it('refuses a name that does not resolve', async () => {
    const failing: Resolver = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(
      assertAllowedEndpoint('https://nowhere.invalid/s', strict, failing),
    ).rejects.toThrow(/does not resolve/);
  });

  it('refuses http unless insecure endpoints are allowed', async () => {
    await expect(assertAllowedEndpoint('http://8.8.8.8/s', strict)).rejects.toThrow(/https/);
    await expect(assertAllowedEndpoint('http://127.0.0.1:9/s', insecure)).resolves.toBeInstanceOf(
      URL,
    );
    await expect(assertAllowedEndpoint('ftp://8.8.8.8/s', insecure)).rejects.toThrow(/https/);
  });

  it('checks IP literals without resolving them, in any notation the URL parser accepts', async () => {
    const never: Resolver = async () => {
      throw new Error('must not resolve a literal');
    };
    await expect(assertAllowedEndpoint('https://8.8.8.8/s', strict, never)).resolves.toBeInstanceOf(
      URL,
    );
    await expect(assertAllowedEndpoint('https://2130706433/s', strict, never)).rejects.toThrow(
      /public address/,
    );
    await expect(assertAllowedEndpoint('https://[::ffff:7f00:1]/s', strict, never)).rejects.toThrow(
      /public address/,
    );
  });
});

describe('guardedLookup', () => {
  const lookup = (resolve: Resolver, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown }>((done) =>
      guardedLookup(strict, resolve)('push.example.com', { all }, (err, address) =>
        done({ err, address }),
      ),
    );

  it('answers the checked addresses in the shape the caller asked for', async () => {
    expect((await lookup(resolvesTo('8.8.8.8'), false)).address).toBe('8.8.8.8');
    expect((await lookup(resolvesTo('8.8.8.8'), true)).address).toEqual([
      { address: '8.8.8.8', family: 4 },
    ]);
  });

  it('fails the connection when the name now points inside (DNS rebinding)', async () => {
    const { err } = await lookup(resolvesTo('127.0.0.1'), true);
    expect(err?.code).toBe('EPUSHREFUSED');
  });
});
