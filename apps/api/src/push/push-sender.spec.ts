import { createECDH, randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import webpush from 'web-push';
import type { Resolver } from './endpoint-policy';
import { classify, PushSender } from './push-sender';

describe('classify', () => {
  it.each([
    [201, 'sent'],
    [202, 'sent'],
    [404, 'gone'],
    [410, 'gone'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'rejected'],
    [403, 'rejected'],
    [413, 'rejected'],
  ])('%i is %s', (status, result) => {
    expect(classify(status).result).toBe(result);
  });
});

describe('PushSender', () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const target = {
    endpoint: 'https://push.example.com/send/abc',
    p256dh: ecdh.getPublicKey('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
  const vapid = { subject: 'mailto:ops@example.com', ...webpush.generateVAPIDKeys() };
  const payload = { conversationId: 'c', messageId: 'm', seq: 1, title: 't', body: 'b' };
  const answers = (...lists: string[][]): { resolver: Resolver; calls: () => number } => {
    let call = 0;
    return {
      resolver: async () => {
        const list = lists[Math.min(call, lists.length - 1)];
        call += 1;
        return list.map((address): LookupAddress => ({ address, family: 4 }));
      },
      calls: () => call,
    };
  };

  it('refuses an endpoint whose name resolves inside, without connecting', async () => {
    const { resolver } = answers(['127.0.0.1']);
    const sender = new PushSender({ allowInsecure: false }, resolver);
    expect((await sender.send(target, payload, 'topic', vapid)).result).toBe('refused');
    sender.close();
  });

  it('refuses at connect time a name re-pointed inside after the check (DNS rebinding)', async () => {
    const { resolver, calls } = answers(['93.184.215.14'], ['127.0.0.1']);
    const sender = new PushSender({ allowInsecure: false }, resolver);
    expect((await sender.send(target, payload, 'topic', vapid)).result).toBe('refused');
    expect(calls()).toBe(2); // the check, then the connection's own lookup
    sender.close();
  });
});
