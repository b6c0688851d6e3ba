import { expect, test } from './fixtures';
import { imageLoaded, messages, openConversation, send, tid } from './helpers';
import { makePng } from './png';

test('two people switch a chat to end-to-end encryption, talk, share a photo and compare safety numbers', async ({
  api,
  openAs,
}) => {
  const ana = await api.register('ena');
  const ben = await api.register('enb');
  const conversation = await api.direct(ana, ben);
  const a = await openAs(ana);
  const b = await openAs(ben);
  await a.goto('/');
  await b.goto('/');
  await openConversation(a, ben.username);
  await openConversation(b, ana.username);

  await tid(a, 'conversation-info-button').click();
  await tid(a, 'encryption-enable').click();
  await tid(a, 'encryption-confirm').click();
  for (const page of [a, b]) {
    await expect(tid(page, 'system-message')).toContainText('turned on end-to-end encryption');
    await expect(tid(page, 'conversation-encrypted')).toBeVisible();
  }
  await expect(tid(b, 'composer-input')).toHaveAttribute('placeholder', /Encrypted message/);
  await a.keyboard.press('Escape');
  await expect(tid(a, 'conversation-info')).toBeHidden();

  await send(a, 'the key is under the mat');
  await expect(messages(b, 'the key is under the mat')).toBeVisible();
  await send(b, 'which mat?');
  await expect(messages(a, 'which mat?')).toBeVisible();

  // A photo, encrypted in the browser: the other side decrypts and shows it.
  await tid(a, 'file-input').setInputFiles({
    name: 'mat.png',
    mimeType: 'image/png',
    buffer: makePng(64, 48),
  });
  await tid(a, 'send-button').click();
  const photo = b.locator('[data-testid="message-image"] img').last();
  await expect(photo).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => imageLoaded(photo)).toBe(true);

  // The server holds ciphertext only.
  const history = await api.history(ana, conversation.id);
  const sent = history.filter((m) => m.type !== 'system');
  expect(sent.map((m) => [m.content, Boolean(m.encrypted)])).toEqual([
    ['', true],
    ['', true],
    ['', true],
  ]);

  // Both see the same safety number.
  const numbers: string[] = [];
  for (const page of [a, b]) {
    await tid(page, 'conversation-info-button').click();
    await tid(page, 'verify-safety-number').click();
    const number = tid(page, 'safety-number');
    await expect(number).toHaveText(/(\d{5}\s*){12}/, { timeout: 20_000 });
    numbers.push(((await number.textContent()) ?? '').replace(/\s+/g, ''));
  }
  expect(numbers[0]).toMatch(/^\d{60}$/);
  expect(numbers[0]).toBe(numbers[1]);
  await tid(a, 'safety-number-mark-verified').click();
  await expect(tid(a, 'safety-number-verified-badge')).toBeVisible();
});
