import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { messages, openConversation, tid } from './helpers';

/** The seqs of the rendered messages, top to bottom. */
function seqs(all: Locator): Promise<number[]> {
  return all.evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-seq'))));
}

test('opens at the first unread under a divider; scrolling up loads older pages and keeps the reading position', async ({
  api,
  openAs,
}) => {
  const dave = await api.register('dave');
  const erin = await api.register('erin');
  const { id } = await api.direct(dave, erin);
  const sent = [];
  for (let i = 1; i <= 130; i++) sent.push(await api.send(dave, id, `History message ${i}`));
  // Erin read the first 70 on another device: 60 are new.
  await api.markRead(erin, id, sent[69].id);

  const page = await openAs(erin);
  await page.goto('/');
  await openConversation(page, dave.username);
  const all = page.locator('[data-testid="message"]');
  const divider = tid(page, 'unread-divider');
  await expect(divider).toHaveText('60 new messages');
  await expect(divider, 'the view lands on the divider').toBeInViewport();
  await expect(messages(page, 'History message 71'), 'the first unread').toBeInViewport();
  const landed = await seqs(all);
  expect(landed.length, 'one page reaching the first unread, at most 100').toBeLessThanOrEqual(100);
  expect(landed, 'the page holds everything from the first unread on').toEqual(
    expect.arrayContaining([71, 130]),
  );
  expect(
    await divider.evaluate((el) =>
      el.nextElementSibling?.querySelector('[data-seq]')?.getAttribute('data-seq'),
    ),
    'the divider sits right above the first unread',
  ).toBe('71');

  // Caught up everywhere: the next open shows the newest page at the bottom, without a divider.
  await api.markRead(erin, id, sent[129].id);
  await page.reload();
  await openConversation(page, dave.username);
  await expect(messages(page, 'History message 130')).toBeVisible();
  await expect(divider, 'nothing is new').toHaveCount(0);
  await expect(all, 'the newest page of 50').toHaveCount(50);
  const list = tid(page, 'message-list');
  await expect
    .poll(() => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 80), {
      message: 'opens at the newest message',
    })
    .toBe(true);

  const anchor = messages(page, 'History message 81').first();
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(all, 'an older page of 50 is prepended').toHaveCount(100);
  await expect
    .poll(
      async () => {
        const listBox = await list.boundingBox();
        const anchorBox = await anchor.boundingBox();
        return Boolean(
          anchorBox &&
          listBox &&
          anchorBox.y >= listBox.y - 5 &&
          anchorBox.y < listBox.y + listBox.height,
        );
      },
      { message: 'the message that was at the top is still in view' },
    )
    .toBe(true);
  await list.evaluate((el) => (el.scrollTop = 0));
  await expect(all, 'the oldest messages').toHaveCount(130);
  await expect(messages(page, 'History message 1').first()).toBeVisible();
  expect(
    (await seqs(all)).every((seq, i) => seq === i + 1),
    'ascending, no gaps, no duplicates',
  ).toBe(true);
});
