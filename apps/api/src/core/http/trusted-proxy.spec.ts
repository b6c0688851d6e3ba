import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { UntrustedProxyWarning } from './trusted-proxy';

const request = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe('UntrustedProxyWarning', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('warns once when X-Forwarded-For comes from a peer that is not trusted', () => {
    const check = new UntrustedProxyWarning('loopback', 'HTTP');
    check.check(request('172.18.0.5', '203.0.113.7'));
    check.check(request('172.18.0.5', '203.0.113.8'));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('172.18.0.5');
  });

  it('stays quiet for trusted proxies and for requests without the header', () => {
    const check = new UntrustedProxyWarning('loopback', 'HTTP');
    check.check(request('127.0.0.1', '203.0.113.7'));
    check.check(request('172.18.0.5'));
    expect(warn).not.toHaveBeenCalled();
  });
});
