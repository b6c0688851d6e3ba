import { directPair as pair, expect, test } from './fixtures';
import {
  conversationItem,
  imageLoaded,
  messages,
  openConversation,
  send,
  status,
  tid,
} from './helpers';
import { makePng } from './png';

test('starts a direct chat from the people search', async ({ api, cast, openAs }) => {
  const partner = await api.register('pat');
  const a = await openAs(cast.ana);
  await a.goto('/');
  await tid(a, 'search-input').fill(partner.username);
  await a.locator(`[data-testid="user-result"][data-username="${partner.username}"]`).click();
  await expect(tid(a, 'conversation-title').filter({ hasText: partner.username })).toBeVisible();
  expect(a.url(), 'the URL names the conversation').toMatch(/\/c\/[0-9a-f-]+$/);
});

test('sees the other user online', async ({ api, cast, openAs }) => {
  const { a, partner } = await pair({ api, cast, openAs });
  await expect(tid(a, 'presence-status')).toHaveText(/^\s*online\s*$/);
  await expect(
    conversationItem(a, partner.username).locator('[data-testid="online-dot"]'),
  ).toBeVisible();
});

test('a message shows at once, is acknowledged, and reaches the other side once', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b, ana, partner } = await pair({ api, cast, openAs }, { open: false });
  await openConversation(a, partner.username);
  await send(a, 'Hi there! How are you?');
  await expect(messages(a, 'Hi there!')).toBeVisible();
  await expect
    .poll(() => status(a, 'Hi there!'), { message: 'the message is acknowledged' })
    .not.toBe('pending');
  const item = conversationItem(b, ana.username);
  await expect(item.locator('[data-testid="conversation-preview"]')).toContainText('Hi there!');
  await expect(item.locator('[data-testid="unread-badge"]')).toHaveText('1');
  await expect(messages(a, 'Hi there!'), 'shown once to the sender').toHaveCount(1);
});

test('shows delivered ticks once the other device has it', async ({ api, cast, openAs }) => {
  const { a, partner } = await pair({ api, cast, openAs }, { open: false });
  await openConversation(a, partner.username);
  await send(a, 'Did this reach you?');
  await expect
    .poll(() => status(a, 'Did this reach you?'), { message: 'delivered (✓✓)' })
    .toBe('delivered');
});

test('opening the conversation marks it read (blue ticks) and clears the badge', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b, ana, partner } = await pair({ api, cast, openAs }, { open: false });
  await openConversation(a, partner.username);
  await send(a, 'Read me please');
  await expect(
    conversationItem(b, ana.username).locator('[data-testid="unread-badge"]'),
  ).toHaveText('1');
  await openConversation(b, ana.username);
  await expect(messages(b, 'Read me please')).toBeVisible();
  await expect
    .poll(() => status(a, 'Read me please'), { message: 'read by the other side' })
    .toBe('read');
  await expect(
    messages(a, 'Read me please').locator('[data-testid="message-status"]'),
    'read ticks are highlighted',
  ).toHaveClass(/\bread\b/);
  await expect(
    b.locator('[data-testid="conversation-item"] [data-testid="unread-badge"]'),
    'no unread badge left',
  ).toHaveCount(0);
});

test('shows who is typing, and stops when they stop', async ({ api, cast, openAs }) => {
  const { a, b, partner } = await pair({ api, cast, openAs });
  await tid(b, 'composer-input').click();
  await b.keyboard.type('Doing great', { delay: 40 });
  await expect(tid(a, 'typing-indicator')).toContainText(`${partner.username} is typing`);
  await tid(b, 'composer-input').fill('');
  await tid(b, 'composer-input').press('Backspace');
  await expect(tid(a, 'typing-indicator')).toBeHidden({ timeout: 10_000 });
});

test('Enter sends, Shift+Enter makes a new line; replies arrive live', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await pair({ api, cast, openAs });
  const input = tid(b, 'composer-input');
  await input.click();
  await b.keyboard.type('Doing great, thanks!');
  await b.keyboard.press('Shift+Enter');
  await b.keyboard.type('And you?');
  await b.keyboard.press('Enter');
  const reply = messages(a, 'Doing great, thanks!');
  await expect(reply).toBeVisible();
  expect(
    await reply.locator('[data-testid="message-text"]').innerText(),
    'two lines in one message',
  ).toContain('thanks!\nAnd you?');
  await expect(input, 'the composer is cleared').toHaveValue('');
});

test('links are clickable and HTML stays plain text', async ({ api, cast, openAs }) => {
  const { a, b } = await pair({ api, cast, openAs });
  await send(a, '<b>not bold</b> the docs: https://example.com/docs?x=1.');
  const bubble = messages(b, 'not bold');
  await expect(bubble).toBeVisible();
  const link = bubble.locator('a[href="https://example.com/docs?x=1"]');
  await expect(link).toBeVisible();
  await expect(link, 'opens in a new tab').toHaveAttribute('target', '_blank');
  await expect(link, 'rel=noopener').toHaveAttribute('rel', /noopener/);
  await expect(bubble.locator('b'), 'no <b> element was created').toHaveCount(0);
  await expect(bubble, 'the markup is shown as text').toContainText('<b>not bold</b>');
});

test('shares an image with a preview, on both sides, and opens it full size', async ({
  api,
  cast,
  openAs,
}) => {
  const { a, b } = await pair({ api, cast, openAs });
  await tid(a, 'file-input').setInputFiles({
    name: 'sunset.png',
    mimeType: 'image/png',
    buffer: makePng(),
  });
  await expect(tid(a, 'attachment-preview')).toBeVisible();
  await tid(a, 'send-button').click();
  await expect(
    a.locator('[data-testid="message"][data-own="true"] [data-testid="message-image"] img').last(),
  ).toBeVisible();
  await expect
    .poll(
      () =>
        a
          .locator('[data-testid="message"]:has([data-testid="message-image"])')
          .last()
          .getAttribute('data-status'),
      { message: 'the image message is acknowledged', timeout: 20_000 },
    )
    .toMatch(/^(sent|delivered|read)$/);
  const theirs = b.locator('[data-testid="message-image"] img').last();
  await expect(theirs).toBeVisible();
  await expect
    .poll(() => imageLoaded(theirs), { message: 'the image loads for the receiver' })
    .toBe(true);
  expect(await theirs.getAttribute('src'), 'served by the API').toMatch(/^(?!blob:)./);
  await b.locator('[data-testid="message-image"]').last().click();
  const full = tid(b, 'image-viewer-img');
  await expect(full).toBeVisible();
  await expect.poll(() => imageLoaded(full), { message: 'the full-size image loads' }).toBe(true);
  await b.keyboard.press('Escape');
  await expect(full).toBeHidden();
});
