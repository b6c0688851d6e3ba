import { uniqueName } from './api';
import { expect, test } from './fixtures';
import { conversationItem, messages, openConversation, send, tid } from './helpers';

test('creates a group with people from the search', async ({ cast, openAs }) => {
  const { ana, bob, carol } = cast;
  const name = `Weekend plans ${uniqueName('g').slice(2)}`;
  const a = await openAs(ana);
  const b = await openAs(bob);
  await a.goto('/');
  await b.goto('/');
  await tid(a, 'new-group-button').click();
  await tid(a, 'group-name').fill(name);
  for (const user of [bob, carol]) {
    await tid(a, 'group-search').fill(user.username);
    await a.locator(`[data-testid="group-candidate"][data-username="${user.username}"]`).click();
  }
  await tid(a, 'group-create').click();
  await expect(tid(a, 'conversation-title').filter({ hasText: name })).toBeVisible();
  await send(a, 'Who is in for Saturday?');
  await expect(conversationItem(b, name)).toBeVisible();
  await openConversation(b, name);
  await expect(messages(b, 'Who is in for Saturday?')).toBeVisible();
  await send(b, 'Count me in!');
  await expect(messages(a, 'Count me in!')).toBeVisible();
  await expect(tid(a, 'message-sender').filter({ hasText: bob.username }).first()).toBeVisible();
});
