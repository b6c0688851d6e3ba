import type { IncomingMessage } from 'node:http';
import { ConnectionCap } from './connection-cap';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    connection: { remoteAddress },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('ConnectionCap', () => {
  it('refuses the connection past the limit from one address and frees a slot on close', () => {
    const cap = new ConnectionCap(2, 'loopback');
    const closes = [cap.opened(request('10.0.0.1')), cap.opened(request('10.0.0.1'))];
    expect(cap.allows(request('10.0.0.1'))).toBe(false);
    expect(cap.allows(request('10.0.0.2'))).toBe(true);
    closes[0]();
    closes[0]();
    expect(cap.allows(request('10.0.0.1'))).toBe(true);
  });

  it('reads the client behind a trusted proxy only', () => {
    const cap = new ConnectionCap(1, 'loopback');
    expect(cap.clientAddress(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    // A client talking directly cannot pick its address with a forged header.
    expect(cap.clientAddress(request('198.51.100.9', '203.0.113.7'))).toBe('198.51.100.9');
  });

  it('is off at 0', () => {
    const cap = new ConnectionCap(0, false);
    for (let i = 0; i < 100; i++) cap.opened(request('10.0.0.1'));
    expect(cap.allows(request('10.0.0.1'))).toBe(true);
  });
});

describe('ConnectionCap refusal reports', () => {
  it('reports an address once while it stays at the cap, and again after it dropped below', () => {
    const reports: string[] = [];
    const cap = new ConnectionCap(1, 'loopback', (address, limit) =>
      reports.push(`${address}/${limit}`),
    );
    const close = cap.opened(request('10.0.0.1'));
    for (let i = 0; i < 5; i++) expect(cap.allows(request('10.0.0.1'))).toBe(false);
    expect(reports).toEqual(['10.0.0.1/1']);
    close();
    cap.opened(request('10.0.0.1'));
    expect(cap.allows(request('10.0.0.1'))).toBe(false);
    expect(reports).toEqual(['10.0.0.1/1', '10.0.0.1/1']);
  });
});
