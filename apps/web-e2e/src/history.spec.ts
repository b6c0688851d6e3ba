import { expect, test } from './fixtures';
import { messages, openConversation, tid } from './helpers';

test('scrolling up loads older pages and keeps the reading position', async ({ api, openAs }) => {
  const dave = await api.register('dave');
  const erin = await api.register('erin');
  const { id } = await api.direct(dave, erin);
  for (let i = 1; i <= 130; i++) await api.send(dave, id, `History message ${i}`);

  const page = await openAs(erin);
  await page.goto('/');
  await openConversation(page, dave.username);
  const all = page.locator('[data-testid="message"]');
  await expect(messages(page, 'History message 130')).toBeVisible();
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
  const seqs = await all.evaluateAll((nodes) =>
    nodes.map((node) => Number(node.getAttribute('data-seq'))),
  );
  expect(
    seqs.every((seq, i) => seq === i + 1),
    'ascending, no gaps, no duplicates',
  ).toBe(true);
});
