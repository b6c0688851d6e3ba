import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import {
  DESKTOP,
  PHONE,
  conversationItem,
  messages,
  openConversation,
  send,
  status,
  tid,
} from './helpers';
import { SCREENSHOTS_DIR } from './paths';
import { makePng } from './png';

/**
 * The README's screenshots (docs/screenshots), made from a real conversation on a fresh server:
 * `npm run screenshots`. Left out of ordinary runs (the config's grepInvert).
 */
async function shot(page: Page, name: string, colorScheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), animations: 'disabled' });
}

test('README screenshots: chat, list and login, desktop and phone, light and dark @screenshots', async ({
  api,
  openAs,
}) => {
  test.setTimeout(180_000);
  const maya = await api.register('maya', { exact: true });
  const leo = await api.register('leo', { exact: true });
  const sam = await api.register('sam', { exact: true });
  const hike = await api.group(maya, 'Weekend hike', [leo, sam]);
  const question = await api.send(leo, hike.id, 'Who is coming on Saturday? 🏔️');
  await api.send(sam, hike.id, 'Count me in! I will bring the thermos ☕', {
    replyToId: question.id,
  });
  await api.react(maya, question, '🙌');
  await api.react(sam, question, '🙌');
  const direct = await api.direct(leo, maya);
  const opener = await api.send(
    leo,
    direct.id,
    'Hey Maya! Are we still on for the hike on Saturday? 🥾',
  );
  await api.react(maya, opener, '👍');
  const tickets = await api.direct(sam, maya);
  await api.send(sam, tickets.id, 'Did you get the train tickets? 🎟️');

  const m = await openAs(maya, { viewport: DESKTOP });
  const l = await openAs(leo, { viewport: DESKTOP });
  await l.goto('/');
  await m.goto('/');
  await openConversation(l, maya.username);
  await openConversation(m, leo.username);
  await send(m, 'Yes! The forecast says sunny all day ☀️');
  await expect(messages(l, 'sunny all day')).toBeVisible();
  await send(l, 'Perfect. I will bring snacks 🍫 and the map');
  await expect(messages(m, 'bring snacks')).toBeVisible();
  await tid(m, 'file-input').setInputFiles({
    name: 'trail.png',
    mimeType: 'image/png',
    buffer: makePng(480, 320),
  });
  await tid(m, 'composer-input').fill('This is the trail, the view from the top is amazing 😍');
  await tid(m, 'send-button').click();
  await expect(l.locator('[data-testid="message-image"] img')).toBeVisible();
  await send(l, 'Wow, can’t wait! 🙌');
  await expect(messages(m, 'can’t wait')).toBeVisible();
  await tid(l, 'voice-record').click();
  await expect(tid(l, 'voice-timer')).toHaveText(/0:0[3-9]/, { timeout: 10_000 });
  await tid(l, 'voice-send').click();
  await expect(m.locator('[data-testid="message-voice"]')).toBeVisible();
  await expect.poll(() => status(m, 'sunny all day')).toBe('read');
  // Leo leaves the conversation: Maya's last message is delivered (✓✓) but not yet read.
  await l.goto('/');
  await expect(tid(l, 'current-user')).toBeVisible();
  await send(m, 'Meet at the station at 8:30? 🚆');
  await expect.poll(() => status(m, 'Meet at the station')).toBe('delivered');
  await expect(tid(m, 'presence-status')).toHaveText(/^\s*online\s*$/);
  await expect(
    m
      .locator('[data-testid="message-image"] img')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
  ).resolves.toBe(true);
  await m.locator('[data-testid="composer-input"]').blur();

  await shot(m, 'desktop-chat-light', 'light');
  await shot(m, 'desktop-chat-dark', 'dark');
  await m.setViewportSize(PHONE);
  await expect(tid(m, 'back-button')).toBeVisible();
  await shot(m, 'phone-chat-light', 'light');
  await shot(m, 'phone-chat-dark', 'dark');
  await tid(m, 'back-button').click();
  await expect(conversationItem(m, 'Weekend hike')).toBeVisible();
  await expect(
    conversationItem(m, sam.username).locator('[data-testid="unread-badge"]'),
  ).toBeVisible();
  await shot(m, 'phone-list-light', 'light');
  await shot(m, 'phone-list-dark', 'dark');
  await m.setViewportSize(DESKTOP);
  await expect(tid(m, 'empty-state')).toBeVisible();
  await shot(m, 'desktop-list-light', 'light');
  await shot(m, 'desktop-list-dark', 'dark');

  // A group thread with a reply and reactions, and search as you type over it.
  await openConversation(m, 'Weekend hike');
  await expect(tid(m, 'reply-quote')).toBeVisible();
  await tid(m, 'search-input').fill('hike');
  await expect(tid(tid(m, 'search-results'), 'search-result-message').first()).toBeVisible();
  await shot(m, 'desktop-search-light', 'light');
  await shot(m, 'desktop-search-dark', 'dark');
  await tid(m, 'search-input').fill('');

  const out = await openAs(null, { viewport: DESKTOP });
  await out.goto('/login');
  await expect(tid(out, 'login-form')).toBeVisible();
  await shot(out, 'desktop-login-light', 'light');
  await shot(out, 'desktop-login-dark', 'dark');
  await out.setViewportSize(PHONE);
  await shot(out, 'phone-login-light', 'light');
  await shot(out, 'phone-login-dark', 'dark');
});

test('README screenshots: an end-to-end encrypted chat and its safety number @screenshots', async ({
  api,
  openAs,
}) => {
  test.setTimeout(120_000);
  const ines = await api.register('ines', { exact: true });
  const theo = await api.register('theo', { exact: true });
  await api.direct(ines, theo);
  const i = await openAs(ines, { viewport: DESKTOP });
  const t = await openAs(theo, { viewport: DESKTOP });
  await i.goto('/');
  await t.goto('/');
  await openConversation(i, 'theo');
  await openConversation(t, 'ines');
  await tid(i, 'conversation-info-button').click();
  await tid(i, 'encryption-enable').click();
  await tid(i, 'encryption-confirm').click();
  await expect(tid(t, 'system-message')).toBeVisible();
  await i.keyboard.press('Escape');
  await send(i, 'The door code changed: 4711, keep it between us 🤫');
  await expect(messages(t, 'The door code changed')).toBeVisible();
  await send(t, 'Got it. Only our phones can read this, right?');
  await expect(messages(i, 'Only our phones')).toBeVisible();
  await send(i, 'Right: end-to-end encrypted. Compare safety numbers next time we meet.');
  await expect(messages(t, 'Compare safety numbers')).toBeVisible();
  await tid(i, 'conversation-info-button').click();
  await tid(i, 'verify-safety-number').click();
  await expect(tid(i, 'safety-number')).toHaveText(/(\d{5}\s*){12}/, { timeout: 20_000 });
  await shot(i, 'desktop-encrypted-light', 'light');
  await shot(i, 'desktop-encrypted-dark', 'dark');
});
