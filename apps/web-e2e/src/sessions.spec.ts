import { expect, test } from './fixtures';
import { conversationItem, tid } from './helpers';

test('a revoked session returns to the login page with a message', async ({ api, openAs }) => {
  const user = await api.register('rev');
  const page = await openAs(user);
  await page.goto('/');
  await expect(tid(page, 'current-user')).toBeVisible();
  const answer = await page.evaluate(async () => {
    const response = await fetch('/api/auth/logout', {
      method: 'POST',
      headers: { Authorization: `Bearer ${localStorage.getItem('chat.token')}` },
    });
    return response.status;
  });
  expect(answer, 'logout answered').toBe(204);
  await expect(tid(page, 'login-notice')).toBeVisible({ timeout: 20_000 });
  expect(page.url(), 'on the login page').toMatch(/\/login$/);
});

test('logs in with the username and finds the conversations again', async ({ api, cast, page }) => {
  const user = await api.register('back');
  await api.direct(user, cast.bob);
  const group = `Book club ${user.username.slice(-6)}`;
  await api.group(user, group, [cast.bob, cast.carol]);
  await page.goto('/login');
  await tid(page, 'login-identifier').fill(user.username);
  await tid(page, 'login-password').fill('wrong-password');
  await tid(page, 'login-submit').click();
  await expect(tid(page, 'login-error')).toBeVisible();
  await tid(page, 'login-password').fill(user.password);
  await tid(page, 'login-submit').click();
  await expect(tid(page, 'current-user')).toBeVisible();
  await expect(conversationItem(page, cast.bob.username)).toBeVisible();
  await expect(conversationItem(page, group)).toBeVisible();
});

test('logs out', async ({ api, openAs }) => {
  const user = await api.register('bye');
  const page = await openAs(user);
  await page.goto('/');
  await tid(page, 'logout-button').click();
  await expect(tid(page, 'login-form')).toBeVisible();
  expect(
    await page.evaluate(() => localStorage.getItem('chat.token')),
    'the token is gone',
  ).toBeNull();
});
