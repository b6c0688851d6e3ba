import type { Page } from '@playwright/test';
import { directPair, expect, test } from './fixtures';
import { messages, openConversation, outboxText, send, status, tid } from './helpers';

const ACKED = /^(sent|delivered|read)$/;

/**
 * Each side sends a marker and waits for the other's: the socket delivers in order, so anything
 * the server meant for either tab before the markers (a late duplicate too) has arrived by then.
 */
async function barrier(a: Page, b: Page, label: string) {
  await send(a, `${label}: marker from A`);
  await expect(messages(b, `${label}: marker from A`)).toBeVisible();
  await send(b, `${label}: marker from B`);
  await expect(messages(a, `${label}: marker from B`)).toBeVisible();
}

test('while offline: banner, pending message; on reconnect it goes out once and nothing is missed', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await directPair({ api, cast, openAs });
  await a.context().setOffline(true);
  await expect(tid(a, 'connection-banner')).toBeVisible();
  await send(a, 'Sent while offline');
  await expect
    .poll(() => status(a, 'Sent while offline'), { message: 'pending while offline' })
    .toBe('pending');
  await send(b, 'Sent while Ana was away');
  await expect.poll(() => status(b, 'Sent while Ana was away')).toMatch(ACKED);
  await expect(
    messages(a, 'Sent while Ana was away'),
    'A could not have received it yet',
  ).toHaveCount(0);

  await a.context().setOffline(false);
  await expect(tid(a, 'connection-banner')).toBeHidden({ timeout: 20_000 });
  await expect
    .poll(() => status(a, 'Sent while offline'), {
      message: 'acknowledged after reconnecting',
      timeout: 20_000,
    })
    .toMatch(ACKED);
  await expect(messages(b, 'Sent while offline')).toBeVisible();
  await expect(messages(a, 'Sent while Ana was away')).toBeVisible();
  await barrier(a, b, 'after reconnect');
  for (const [page, text] of [
    [a, 'Sent while offline'],
    [b, 'Sent while offline'],
    [a, 'Sent while Ana was away'],
    [b, 'Sent while Ana was away'],
  ] as const) {
    await expect(messages(page, text), `"${text}" shown once`).toHaveCount(1);
  }
  const countB = await b.locator('[data-testid="message"]').count();
  await expect(
    a.locator('[data-testid="message"]'),
    'both sides hold the same messages',
  ).toHaveCount(countB);
});

test('an unsent message survives closing the tab and is sent once from the next one', async ({
  api,
  cast,
  openAs,
}) => {
  const { a: first, b, partner } = await directPair({ api, cast, openAs });
  const context = first.context();
  await context.setOffline(true);
  await expect(tid(first, 'connection-banner')).toBeVisible();
  await send(first, 'Queued across a reload');
  await expect.poll(() => status(first, 'Queued across a reload')).toBe('pending');
  expect(await outboxText(first), 'the outbox is in localStorage').toContain(
    'Queued across a reload',
  );
  await first.close();
  await context.setOffline(false);

  const a = await context.newPage();
  await a.goto('/');
  await openConversation(a, partner.username);
  await expect(messages(b, 'Queued across a reload')).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(() => status(a, 'Queued across a reload'), { message: 'acknowledged from the new tab' })
    .toMatch(ACKED);
  await barrier(a, b, 'after reload');
  await expect(messages(a, 'Queued across a reload'), 'once for the sender').toHaveCount(1);
  await expect(messages(b, 'Queued across a reload'), 'once for the receiver').toHaveCount(1);
  await expect.poll(() => outboxText(a), { message: 'the outbox is empty' }).toBe('');
});
