import { expect, test } from './fixtures';
import { openConversation, tid } from './helpers';

test('sees the other user go offline, and come back after a reload', async ({
  api,
  cast,
  openAs,
}) => {
  const partner = await api.register('pat');
  await api.direct(cast.ana, partner);
  const a = await openAs(cast.ana);
  let b = await openAs(partner);
  await b.goto('/');
  await a.goto('/');
  await openConversation(a, partner.username);
  await expect(tid(a, 'presence-status')).toHaveText(/^\s*online\s*$/);

  const context = b.context();
  await b.close();
  await expect(tid(a, 'presence-status')).toHaveText(/last seen|offline/, { timeout: 20_000 });
  b = await context.newPage();
  await b.goto('/');
  await expect(tid(b, 'current-user'), 'the session survived').toBeVisible();
  await expect(tid(a, 'presence-status')).toHaveText(/^\s*online\s*$/, { timeout: 20_000 });
  await openConversation(b, cast.ana.username);
});
