import type { Page } from '@playwright/test';
import { PASSWORD } from './api';
import { expect, test } from './fixtures';
import { conversationItem, messages, openConversation, send, tid } from './helpers';

function member(page: Page, username: string) {
  return page.locator(`[data-testid="group-member"][data-username="${username}"]`);
}

test('group info: rename, add a member, make an admin, remove a member, leave', async ({
  api,
  cast,
  openAs,
}) => {
  const ana = cast.ana;
  const ivy = await api.register('ivy');
  const jon = await api.register('jon');
  const kim = await api.register('kim');
  const name = `Garden ${ivy.username.slice(-6)}`;
  await api.group(ana, name, [ivy, jon]);
  const a = await openAs(ana);
  const i = await openAs(ivy);
  await a.goto('/');
  await i.goto('/');
  await openConversation(a, name);

  await tid(a, 'conversation-info-button').click();
  const panel = tid(a, 'conversation-info');
  await expect(panel).toBeVisible();
  await expect(tid(panel, 'group-info-name')).toHaveText(name);
  await expect(tid(panel, 'group-member'), 'ana, ivy and jon').toHaveCount(3);

  const renamed = `${name} & friends`;
  await tid(panel, 'group-rename-button').click();
  await tid(panel, 'group-name-input').fill(renamed);
  await tid(panel, 'group-rename-save').click();
  await expect(tid(panel, 'group-info-name')).toHaveText(renamed);
  await expect(tid(a, 'conversation-title')).toHaveText(renamed);
  await expect(conversationItem(i, renamed), 'the other members see the new name').toBeVisible();

  await tid(panel, 'group-add-search').fill(kim.username);
  await panel.locator(`[data-testid="group-add-result"][data-username="${kim.username}"]`).click();
  await expect(member(a, kim.username)).toBeVisible();
  await expect(tid(panel, 'group-member')).toHaveCount(4);

  await tid(member(a, ivy.username), 'member-make-admin').click();
  await expect(member(a, ivy.username)).toHaveAttribute('data-role', 'admin');
  await expect(tid(member(a, ivy.username), 'member-role')).toBeVisible();

  await tid(member(a, jon.username), 'member-remove').click();
  await expect(member(a, jon.username)).toHaveCount(0);
  await expect(tid(panel, 'group-member')).toHaveCount(3);

  await openConversation(i, renamed);
  await tid(i, 'conversation-info-button').click();
  const ivyPanel = tid(i, 'conversation-info');
  await expect(member(i, ivy.username)).toHaveAttribute('data-role', 'admin');
  await tid(ivyPanel, 'group-leave').click();
  await tid(ivyPanel, 'group-leave-confirm').click();
  await expect(conversationItem(i, renamed), 'gone from the list of who left').toHaveCount(0);
  await expect(member(a, ivy.username), 'the others see the member leave').toHaveCount(0);
  await expect(tid(panel, 'group-member')).toHaveCount(2);
});

test('message info lists who read it, who has it and who is still waiting', async ({
  api,
  cast,
  openAs,
}) => {
  const ana = cast.ana;
  const reader = await api.register('reader');
  const holder = await api.register('holder');
  const absent = await api.register('absent');
  const name = `Receipts ${reader.username.slice(-6)}`;
  await api.group(ana, name, [reader, holder, absent]);
  const a = await openAs(ana);
  const r = await openAs(reader);
  const h = await openAs(holder);
  for (const page of [a, r, h]) await page.goto('/');
  await openConversation(a, name);
  await openConversation(r, name);
  // The holder is online with the list open: the message reaches the device, nobody reads it.
  await expect(conversationItem(h, name)).toBeVisible();

  await send(a, 'Minutes are up on the wiki');
  await expect(messages(r, 'Minutes are up on the wiki')).toBeVisible();
  await expect(tid(conversationItem(h, name), 'unread-badge')).toHaveText('1');
  const status = tid(messages(a, 'Minutes are up on the wiki'), 'message-status');
  await expect(status, 'not everyone has it: one tick').toHaveAttribute('data-status', 'sent');
  await expect(tid(status, 'read-count'), 'read by one of three').toHaveText('1');

  await status.click();
  const info = tid(a, 'message-info');
  await expect(info).toBeVisible();
  const row = (testid: string, userId: string) =>
    info.locator(`[data-testid="${testid}"][data-user-id="${userId}"]`);
  await expect(row('receipt-read', reader.user.id)).toBeVisible();
  await expect(row('receipt-delivered', holder.user.id)).toBeVisible();
  await expect(row('receipt-waiting', absent.user.id)).toBeVisible();
  await expect(
    info.locator('[data-testid^="receipt-"]'),
    'one row each, not the sender',
  ).toHaveCount(3);
  await tid(info, 'message-info-close').click();
  await expect(info).toBeHidden();
});

test('settings: sessions, signing out the other devices, changing the password', async ({
  api,
  openAs,
  baseURL,
}) => {
  const user = await api.register('set');
  const here = await openAs(user);
  const other = await openAs(null);
  await other.goto('/login');
  await tid(other, 'login-identifier').fill(user.username);
  await tid(other, 'login-password').fill(user.password);
  await tid(other, 'login-submit').click();
  await expect(tid(other, 'current-user')).toBeVisible();

  await here.goto('/');
  await tid(here, 'settings-link').click();
  const rows = tid(here, 'session-row');
  await expect(rows, 'the API sign-up and the other browser').toHaveCount(2);
  await expect(here.locator('[data-testid="session-row"][data-current="true"]')).toHaveCount(1);
  await expect(
    tid(here.locator('[data-testid="session-row"][data-current="true"]'), 'session-current'),
  ).toHaveText('This device');

  await tid(here, 'sessions-revoke-others').click();
  await expect(rows, 'only this device is left').toHaveCount(1);
  await expect(rows).toHaveAttribute('data-current', 'true');
  await expect(tid(other, 'login-notice'), 'the other browser is signed out').toBeVisible({
    timeout: 20_000,
  });

  const next = 'a-brand-new-passphrase-77';
  await tid(here, 'password-current').fill(PASSWORD);
  await tid(here, 'password-new').fill(next);
  await tid(here, 'password-confirm').fill(next);
  await tid(here, 'password-submit').click();
  await expect(tid(here, 'password-done')).toContainText('Password changed.');
  await here.goto('/');
  await expect(tid(here, 'current-user'), 'this device stays signed in').toBeVisible();

  const login = (password: string) =>
    fetch(`${baseURL}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user.username, password }),
    }).then((response) => response.status);
  expect(await login(PASSWORD), 'the old password no longer works').toBe(401);
  expect(await login(next), 'the new one does').toBe(200);
});
