import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { directPair, expect, test } from './fixtures';
import { PHONE, openConversation, tid } from './helpers';

/**
 * Records every RTCPeerConnection the page makes, so the test can read its stats; the app
 * itself exposes nothing for tests.
 */
const RECORD_PEER_CONNECTIONS = () => {
  const Original = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections = made;
  window.RTCPeerConnection = class extends Original {
    constructor(config?: RTCConfiguration) {
      super(config);
      made.push(this);
    }
  } as typeof RTCPeerConnection;
};

/** Bytes of video received so far by the page's newest peer connection. */
function inboundVideoBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const made = (window as unknown as { __peerConnections: RTCPeerConnection[] })
      .__peerConnections;
    const pc = made.at(-1);
    if (!pc) return 0;
    let bytes = 0;
    (await pc.getStats()).forEach(
      (report: { type: string; kind?: string; bytesReceived?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video')
          bytes += report.bytesReceived ?? 0;
      },
    );
    return bytes;
  });
}

test.describe('calls', () => {
  test('a video call connects both browsers, plays the remote video, and hangs up on both', async ({
    api,
    cast,
    openAs,
  }) => {
    const { a, b } = await directPair({ api, cast, openAs });
    for (const page of [a, b]) await page.addInitScript(RECORD_PEER_CONNECTIONS);
    await Promise.all([a.reload(), b.reload()]);

    await tid(a, 'call-video').click();
    await expect(tid(a, 'call-status')).toHaveText('Calling…');
    await expect(tid(b, 'call-overlay')).toHaveAttribute('data-phase', 'incoming');
    await expect(tid(b, 'call-status')).toHaveText('Incoming video call…');
    await tid(b, 'call-accept').click();

    for (const page of [a, b])
      await expect(tid(page, 'call-overlay')).toHaveAttribute('data-phase', 'active');
    const remote = tid(b, 'remote-video');
    await expect
      .poll(() => remote.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
      .toBeGreaterThan(0);
    const first = await inboundVideoBytes(b);
    await expect.poll(() => inboundVideoBytes(b), { timeout: 10_000 }).toBeGreaterThan(first);
    await expect(tid(a, 'call-timer')).toHaveText(/^0:0\d$/);

    // Controls: mute and camera off toggle, the layout switches.
    await tid(a, 'call-mute').click();
    await expect(tid(a, 'call-mute')).toHaveAttribute('aria-pressed', 'true');
    await tid(a, 'call-camera').click();
    await expect(tid(a, 'call-camera')).toHaveAttribute('aria-pressed', 'true');
    await tid(a, 'call-layout').click();
    await expect(tid(a, 'call-layout')).toHaveText('Speaker view');

    await tid(a, 'call-hangup').click();
    await expect(tid(b, 'call-status')).toHaveText('Call ended');
    await expect(tid(a, 'call-overlay')).toBeHidden({ timeout: 5000 });
    await expect(tid(b, 'call-overlay')).toBeHidden({ timeout: 5000 });
    for (const page of [a, b])
      await expect(tid(page, 'message-call').last()).toHaveText(/Video call, 0:\d\d/);
  });

  test('a declined call tells the caller and leaves a message', async ({ api, cast, openAs }) => {
    const { a, b } = await directPair({ api, cast, openAs });
    await tid(a, 'call-voice').click();
    await expect(tid(b, 'call-status')).toHaveText('Incoming voice call…');
    await tid(b, 'call-decline').click();
    await expect(tid(b, 'call-overlay')).toBeHidden();
    await expect(tid(a, 'call-status')).toHaveText('Call declined');
    await expect(tid(a, 'message-call').last()).toHaveText('Declined voice call');
  });

  test('an unanswered call is missed on both sides, and rings on every tab of the callee', async ({
    api,
    cast,
    openAs,
  }) => {
    const { a, b, partner } = await directPair({ api, cast, openAs });
    const bOtherTab = await openAs(partner, { viewport: { width: 375, height: 740 } });
    await bOtherTab.goto('/');
    await expect(tid(bOtherTab, 'conversation-item').first()).toBeVisible();
    await tid(a, 'call-voice').click();
    for (const page of [b, bOtherTab])
      await expect(tid(page, 'call-status')).toHaveText('Incoming voice call…');
    // The phone-sized tab shows the whole ringing screen, buttons in reach.
    await expect(tid(bOtherTab, 'call-accept')).toBeInViewport();
    await expect(tid(bOtherTab, 'call-decline')).toBeInViewport();

    await expect(tid(a, 'call-status')).toHaveText('No answer', { timeout: 15_000 });
    for (const page of [b, bOtherTab])
      await expect(tid(page, 'call-overlay')).toHaveAttribute('data-phase', 'ended');
    await expect(tid(b, 'message-call').last()).toHaveText('Missed voice call');
  });

  test('at 375 px the header keeps its call buttons and the call screen fits, accessibly', async ({
    api,
    cast,
    openAs,
  }) => {
    // axe over a page playing two live videos is slow on a shared machine.
    test.setTimeout(150_000);
    const partner = await api.register('phone');
    await api.direct(cast.ana, partner);
    const a = await openAs(cast.ana, { viewport: PHONE });
    const b = await openAs(partner);
    await a.goto('/');
    await b.goto('/');
    await openConversation(a, partner.username);
    await expect(tid(a, 'call-video')).toBeInViewport();
    await expect(tid(a, 'call-voice')).toBeInViewport();
    const overflow = () =>
      a.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);

    await tid(a, 'call-video').click();
    await tid(b, 'call-accept').click();
    await expect(tid(a, 'call-overlay')).toHaveAttribute('data-phase', 'active');
    for (const control of ['call-mute', 'call-camera', 'call-layout', 'call-hangup'])
      await expect(tid(a, control)).toBeInViewport();
    expect(await overflow()).toBeLessThanOrEqual(0);
    const violations = (await new AxeBuilder({ page: a }).analyze()).violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(
      violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
    await tid(a, 'call-hangup').click();
    await expect(tid(b, 'call-overlay')).toBeHidden({ timeout: 5000 });
  });
});
