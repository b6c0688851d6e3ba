import { PASSWORD, uniqueName } from './api';
import { expect, test } from './fixtures';
import { register, tid } from './helpers';

test('registration shows field errors inline', async ({ page }) => {
  await page.goto('/register');
  await tid(page, 'register-username').fill('x');
  await tid(page, 'register-email').fill('not-an-email');
  await tid(page, 'register-password').fill('short');
  await tid(page, 'register-submit').click();
  await expect(tid(page, 'register-username-error')).toBeVisible();
  await expect(tid(page, 'register-email-error')).toBeVisible();
  await expect(tid(page, 'register-password-error')).toBeVisible();
  expect(page.url(), 'stayed on the form').toMatch(/\/register$/);
});

test('two users register and land in an empty chat list', async ({ openAs }) => {
  for (const prefix of ['ann', 'ben']) {
    const page = await openAs(null);
    const username = uniqueName(prefix);
    await register(page, { username, email: `${username}@example.com`, password: PASSWORD });
    await expect(tid(page, 'no-conversations')).toBeVisible();
    const token = await page.evaluate(() => localStorage.getItem('chat.token'));
    expect(token, 'the token is kept in localStorage').toBeTruthy();
  }
});

test('a taken username is refused with a clear message', async ({ page, api }) => {
  const taken = await api.register('taken');
  await page.goto('/register');
  await tid(page, 'register-username').fill(taken.username);
  await tid(page, 'register-email').fill(`other_${taken.username}@example.com`);
  await tid(page, 'register-password').fill(PASSWORD);
  await tid(page, 'register-submit').click();
  await expect(
    tid(page, 'register-username-error').or(tid(page, 'register-error')),
    'an error for the duplicate username',
  ).toBeVisible();
});
