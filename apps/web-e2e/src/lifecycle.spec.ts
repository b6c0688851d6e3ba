import type { Locator, Page } from '@playwright/test';
import { directPair, expect, test } from './fixtures';
import { conversationItem, messages, openConversation, send, tid } from './helpers';

/** The bubble of the message with this server id: it keeps matching after an edit or delete. */
function byId(page: Page, id: string): Locator {
  return page.locator(`[data-testid="message"][data-message-id="${id}"]`);
}

/** Sends `text` and waits for the server's id. */
async function sent(page: Page, text: string): Promise<string> {
  await send(page, text);
  const bubble = messages(page, text);
  await expect(bubble).toHaveAttribute('data-message-id', /.+/);
  const id = await bubble.getAttribute('data-message-id');
  expect(id, `"${text}" has an id`).toBeTruthy();
  return id ?? '';
}

/** Shows the message's actions the way a mouse does (hover) and clicks one of them. */
async function act(message: Locator, action: string): Promise<void> {
  await message.hover();
  await tid(message, action).click();
}

function chip(message: Locator, emoji: string): Locator {
  return message.locator(`[data-testid="reaction-chip"][data-emoji="${emoji}"]`);
}

test('edits a message from its actions and with the Up arrow; Escape cancels', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await directPair({ api, cast, openAs });
  const first = await sent(a, 'Meet at 5?');
  const last = await sent(a, 'Bring the slides');
  const input = tid(a, 'composer-input');

  await act(byId(a, first), 'message-edit');
  await expect(input).toHaveAttribute('data-mode', 'edit');
  await expect(input).toHaveValue('Meet at 5?');
  await input.fill('Meet at 6?');
  await input.press('Enter');
  await expect(input).toHaveAttribute('data-mode', 'new');
  for (const page of [a, b]) {
    await expect(tid(byId(page, first), 'message-text')).toHaveText('Meet at 6?');
    await expect(tid(byId(page, first), 'message-edited')).toBeVisible();
  }

  await input.press('ArrowUp');
  await expect(input, 'Up edits my last message').toHaveAttribute('data-mode', 'edit');
  await expect(input).toHaveValue('Bring the slides');
  await input.fill('Bring the slides and a charger');
  await input.press('Escape');
  await expect(input, 'Escape leaves edit mode').toHaveAttribute('data-mode', 'new');
  await expect(input).toHaveValue('');
  await expect(tid(byId(a, last), 'message-text')).toHaveText('Bring the slides');
  await expect(tid(byId(a, last), 'message-edited')).toHaveCount(0);

  await input.press('ArrowUp');
  await expect(input).toHaveValue('Bring the slides');
  await tid(a, 'composer-edit-cancel').click();
  await expect(input, 'the cancel button leaves edit mode too').toHaveAttribute('data-mode', 'new');

  await input.press('ArrowUp');
  await input.fill('Bring the slides, please');
  await input.press('Enter');
  await expect(tid(byId(b, last), 'message-text')).toHaveText('Bring the slides, please');
  await expect(tid(byId(b, last), 'message-edited')).toBeVisible();
  await expect(tid(byId(b, last), 'message-text')).not.toContainText('charger');
});

test('deletes a message for everyone: tombstone on both sides and in the list preview', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b, ana } = await directPair({ api, cast, openAs });
  const id = await sent(a, 'Oops, wrong chat');
  await expect(byId(b, id)).toBeVisible();

  await act(byId(a, id), 'message-delete');
  await tid(byId(a, id), 'message-delete-confirm-button').click();
  for (const page of [a, b]) {
    const bubble = byId(page, id);
    await expect(bubble).toHaveAttribute('data-deleted', 'true');
    await expect(tid(bubble, 'message-deleted')).toHaveText('This message was deleted');
    await expect(tid(bubble, 'message-text'), 'the text is gone').toHaveCount(0);
  }
  await expect(tid(conversationItem(b, ana.username), 'conversation-preview')).toHaveText(
    'This message was deleted',
  );
});

test('replies with a quote; clicking the quote scrolls to the original and highlights it', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await directPair({ api, cast, openAs });
  const original = await sent(b, 'Which venue did we pick?');
  for (let i = 1; i <= 30; i++) await send(b, `Filler ${i}`);
  await expect(messages(a, 'Filler 30')).toBeVisible();

  const seq = await byId(a, original).getAttribute('data-seq');
  await act(byId(a, original), 'message-reply');
  await expect(tid(a, 'composer-reply')).toContainText('Which venue did we pick?');
  await expect(tid(a, 'composer-input')).toHaveAttribute('data-mode', 'reply');
  const reply = await sent(a, 'The one by the river');
  await expect(tid(a, 'composer-reply'), 'the reply banner closes').toHaveCount(0);

  for (const page of [a, b]) {
    const quote = tid(byId(page, reply), 'reply-quote');
    await expect(quote).toHaveAttribute('data-reply-seq', seq ?? '');
    await expect(tid(quote, 'reply-quote-text')).toHaveText('Which venue did we pick?');
  }
  await expect(byId(b, original), 'the original is scrolled away').not.toBeInViewport();
  await tid(byId(b, reply), 'reply-quote').click();
  await expect(byId(b, original)).toBeInViewport();
  await expect(b.locator('chat-message-bubble', { has: byId(b, original) })).toHaveClass(
    /\bhighlighted\b/,
  );
});

test('reacts from the picker and its search; both sides see the chips; a second tap takes it back', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await directPair({ api, cast, openAs });
  const id = await sent(b, 'We shipped it!');
  const mine = byId(a, id);
  const theirs = byId(b, id);

  await act(mine, 'message-react');
  await expect(tid(mine, 'reaction-picker')).toBeVisible();
  await mine.locator('[data-testid="reaction-quick"][data-emoji="🎉"]').click();
  await expect(tid(mine, 'reaction-picker'), 'the picker closes').toHaveCount(0);
  await expect(chip(mine, '🎉')).toHaveAttribute('aria-pressed', 'true');
  await expect(chip(mine, '🎉')).toHaveAttribute('data-mine', 'true');
  await expect(tid(chip(mine, '🎉'), 'reaction-count')).toHaveText('1');
  await expect(chip(theirs, '🎉'), 'the other side sees it').toHaveAttribute('data-mine', 'false');
  await expect(tid(chip(theirs, '🎉'), 'reaction-count')).toHaveText('1');

  await chip(theirs, '🎉').click();
  for (const message of [mine, theirs])
    await expect(tid(chip(message, '🎉'), 'reaction-count')).toHaveText('2');
  await expect(chip(theirs, '🎉')).toHaveAttribute('aria-pressed', 'true');

  await act(mine, 'message-react');
  await tid(mine, 'reaction-search').fill('balloon');
  await mine.locator('[data-testid="reaction-option"][data-emoji="🎈"]').click();
  await expect(tid(chip(theirs, '🎈'), 'reaction-count')).toHaveText('1');

  await chip(mine, '🎉').click();
  await expect(chip(mine, '🎉'), 'toggled off').toHaveAttribute('aria-pressed', 'false');
  for (const message of [mine, theirs])
    await expect(tid(chip(message, '🎉'), 'reaction-count')).toHaveText('1');
  await chip(mine, '🎈').click();
  for (const message of [mine, theirs])
    await expect(chip(message, '🎈'), 'the last reaction taken back').toHaveCount(0);
});

test('mentions: the autocomplete inserts @username; the mentioned user sees the badge and the highlight', async ({
  api,
  cast,
  openAs,
}) => {
  const ana = cast.ana;
  const mia = await api.register('mia');
  const max = await api.register('max');
  const name = `Launch ${mia.username.slice(-6)}`;
  await api.group(ana, name, [mia, max]);
  const a = await openAs(ana);
  const m = await openAs(mia);
  await a.goto('/');
  await m.goto('/');
  await openConversation(a, name);

  const input = tid(a, 'composer-input');
  await input.pressSequentially(`Ready, @${mia.username.slice(0, 4)}`);
  await expect(tid(a, 'mention-autocomplete')).toBeVisible();
  await a.locator(`[data-testid="mention-option"][data-username="${mia.username}"]`).click();
  await expect(input).toHaveValue(`Ready, @${mia.username} `);
  await expect(tid(a, 'mention-autocomplete')).toHaveCount(0);
  await input.pressSequentially('can you check the build?');
  await input.press('Enter');
  const text = `Ready, @${mia.username} can you check the build?`;
  await expect(messages(a, 'can you check the build?')).toHaveAttribute(
    'data-status',
    /sent|delivered|read/,
  );
  await expect(tid(messages(a, text), 'mention')).toHaveText(`@${mia.username}`);
  await expect(tid(messages(a, text), 'mention'), 'not me for the sender').not.toHaveClass(
    /\bme\b/,
  );

  await expect(tid(conversationItem(m, name), 'mention-badge')).toBeVisible();
  await openConversation(m, name);
  const mention = tid(messages(m, 'can you check the build?'), 'mention');
  await expect(mention).toHaveText(`@${mia.username}`);
  await expect(mention).toHaveClass(/\bme\b/);
  await expect(tid(conversationItem(m, name), 'mention-badge'), 'read once opened').toHaveCount(0);
});

test('a device offline during an edit, a delete and a reaction shows all three once back', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await directPair({ api, cast, openAs });
  const edited = await sent(a, 'Dinner at 7');
  const deleted = await sent(a, 'Ignore this one');
  const reacted = await sent(a, 'Tickets are booked');
  await expect(byId(b, reacted)).toBeVisible();

  await b.context().setOffline(true);
  await expect(tid(b, 'connection-banner')).toBeVisible();
  await act(byId(a, edited), 'message-edit');
  const input = tid(a, 'composer-input');
  await input.fill('Dinner at 8');
  await input.press('Enter');
  await expect(tid(byId(a, edited), 'message-edited')).toBeVisible();
  await act(byId(a, deleted), 'message-delete');
  await tid(byId(a, deleted), 'message-delete-confirm-button').click();
  await expect(byId(a, deleted)).toHaveAttribute('data-deleted', 'true');
  await act(byId(a, reacted), 'message-react');
  await byId(a, reacted).locator('[data-testid="reaction-quick"][data-emoji="👍"]').click();
  await expect(chip(byId(a, reacted), '👍')).toHaveAttribute('data-mine', 'true');
  await expect(tid(byId(b, edited), 'message-text'), 'B could not know yet').toHaveText(
    'Dinner at 7',
  );

  await b.context().setOffline(false);
  await expect(tid(b, 'connection-banner')).toBeHidden({ timeout: 20_000 });
  await expect(tid(byId(b, edited), 'message-text')).toHaveText('Dinner at 8');
  await expect(tid(byId(b, edited), 'message-edited')).toBeVisible();
  await expect(byId(b, deleted)).toHaveAttribute('data-deleted', 'true');
  await expect(tid(byId(b, deleted), 'message-deleted')).toBeVisible();
  await expect(tid(chip(byId(b, reacted), '👍'), 'reaction-count')).toHaveText('1');
  await expect(chip(byId(b, reacted), '👍')).toHaveAttribute('data-mine', 'false');
});
