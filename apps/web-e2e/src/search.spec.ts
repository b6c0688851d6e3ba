import type { MessageView } from '@chat/shared-dto';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PHONE, conversationItem, tid } from './helpers';

/** A word of letters only (one search lexeme) that no other test or run uses. */
function uniqueWord(): string {
  const digits = 'abcdefghij';
  const raw = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  return `qz${raw.replace(/\d/g, (d) => digits[Number(d)])}`;
}

/** The bubble of a message in the open conversation (results carry the same message id). */
function bubble(page: Page, id: string) {
  return tid(page, 'message-list').locator(`[data-message-id="${id}"]`);
}

test('search groups people, chats and messages, pages them, and opens a message deep in history', async ({
  api,
  openAs,
}) => {
  const word = uniqueWord();
  const owner = await api.register(word);
  const reader = await api.register('reader');
  const group = await api.group(owner, `Team ${word}`, [reader]);
  const sent: MessageView[] = [];
  for (let i = 1; i <= 150; i++) {
    const text = i === 5 ? `Launch ${word} anchor, line ${i}` : `Log ${word} line ${i}`;
    sent.push(await api.send(owner, group.id, text));
  }

  const page = await openAs(reader);
  await page.goto('/');
  await expect(conversationItem(page, `Team ${word}`)).toBeVisible();

  // Ctrl+K focuses the box from anywhere.
  const input = tid(page, 'search-input');
  await tid(page, 'current-user').click();
  await page.keyboard.press('Control+k');
  await expect(input).toBeFocused();
  await page.keyboard.type(word.slice(0, -2));

  const results = tid(page, 'search-results');
  await expect(
    tid(results, 'search-group-people').locator(
      `[data-testid="search-result-person"][data-user-id="${owner.user.id}"]`,
    ),
  ).toBeVisible();
  await expect(
    tid(results, 'search-group-conversations').locator(
      `[data-testid="search-result-conversation"][data-conversation-id="${group.id}"]`,
    ),
  ).toBeVisible();
  const hits = tid(tid(results, 'search-group-messages'), 'search-result-message');
  await expect(hits).toHaveCount(20);
  await expect(hits.first()).toHaveAttribute('data-message-id', sent[149].id);
  // The whole word is marked although only its prefix was typed.
  await expect(hits.first().locator('mark')).toHaveText(word);
  await expect(hits.first()).toContainText('line 150');

  await tid(results, 'search-more').click();
  await expect(hits).toHaveCount(40);
  await expect(hits.nth(20)).toHaveAttribute('data-message-id', sent[129].id);

  // Down from the box walks through the results.
  await input.press('ArrowDown');
  await expect(tid(results, 'search-result-person').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(tid(results, 'search-result-conversation').first()).toBeFocused();

  await input.fill(`${word}nothing`);
  await expect(tid(results, 'search-empty')).toBeVisible();

  // Message 5 of 150: far older than the first page the conversation would open with.
  await input.fill(`${word} anch`);
  await expect(hits).toHaveCount(1);
  await expect(hits.first().locator('mark')).toHaveText([word, 'anchor']);
  await hits.first().click();
  await expect(tid(page, 'conversation-title')).toContainText(`Team ${word}`);
  const target = bubble(page, sent[4].id);
  await expect(target).toBeInViewport();
  await expect(
    page.locator('[data-highlighted]', { has: page.locator(`[data-message-id="${sent[4].id}"]`) }),
  ).toBeVisible();
  // Its page, and everything from there to the newest message, once each.
  await expect(tid(page, 'message')).toHaveCount(150);

  // Escape clears the search.
  await page.keyboard.press('Control+k');
  await expect(input).toBeFocused();
  await expect(input).toHaveValue(`${word} anch`);
  await page.keyboard.press('Escape');
  await expect(input).toHaveValue('');
  await expect(results).toHaveCount(0);
});

test('search works on a phone: a message result opens its conversation there', async ({
  api,
  openAs,
}) => {
  const word = uniqueWord();
  const owner = await api.register('phoneowner');
  const reader = await api.register('phonereader');
  const { id } = await api.direct(owner, reader);
  const sent: MessageView[] = [];
  for (let i = 1; i <= 80; i++) sent.push(await api.send(owner, id, `Entry ${i} ${word}`));

  const page = await openAs(reader, { viewport: PHONE });
  await page.goto('/');
  await tid(page, 'search-input').fill(word);
  const hits = tid(page, 'search-result-message');
  await expect(hits).toHaveCount(20);
  const box = await tid(page, 'search-results').boundingBox();
  expect(box && box.width <= PHONE.width, 'the results fit the screen').toBe(true);
  // "/" focuses the box again after the list is gone behind the open conversation.
  await hits.last().click();
  const target = bubble(page, sent[60].id);
  await expect(target).toBeInViewport();
  await page.keyboard.press('/');
  await expect(tid(page, 'search-input')).toBeFocused();
  await expect(tid(page, 'search-input')).toHaveValue(word);
});
