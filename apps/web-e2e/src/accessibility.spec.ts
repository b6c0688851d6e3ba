import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { DESKTOP, PHONE, conversationItem, messages, openConversation, tid } from './helpers';

/** axe's findings that fail the test: every serious or critical one, with where it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes
          .slice(0, 6)
          .map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`)
          .join('\n'),
    );
}

const VIEWPORTS = [
  ['1440 px', DESKTOP],
  ['375 px', PHONE],
] as const;

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [width, viewport] of VIEWPORTS) {
    test.describe(`accessibility, ${colorScheme} theme, ${width}`, () => {
      test('login screen: no serious or critical violations', async ({ openAs }) => {
        const page = await openAs(null, { viewport, colorScheme });
        await page.goto('/login');
        await expect(tid(page, 'login-form')).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('register screen: no serious or critical violations', async ({ openAs }) => {
        const page = await openAs(null, { viewport, colorScheme });
        await page.goto('/register');
        await expect(tid(page, 'register-submit')).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('conversation list: one h1, no serious or critical violations', async ({
        api,
        cast,
        openAs,
      }) => {
        const user = await api.register('axe');
        const direct = await api.direct(user, cast.bob);
        await api.send(cast.bob, direct.id, 'Are we still on for lunch? 🍜');
        const group = await api.group(user, `Team ${user.username.slice(-5)}`, [cast.bob]);
        await api.send(user, group.id, 'Slides are in the shared folder');
        const page = await openAs(user, { viewport, colorScheme });
        await page.goto('/');
        await expect(
          conversationItem(page, cast.bob.username).locator('[data-testid="unread-badge"]'),
        ).toBeVisible();
        await expect(page.locator('h1'), 'the page has one main heading').toHaveCount(1);
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('conversation: no serious or critical violations', async ({ api, cast, openAs }) => {
        const user = await api.register('axe');
        const direct = await api.direct(user, cast.bob);
        await api.send(cast.bob, direct.id, 'Hi! Did you see the new designs? 🎨');
        await api.send(user, direct.id, 'Yes, they look great 👍 https://example.com/designs');
        const page = await openAs(user, { viewport, colorScheme });
        await page.goto('/');
        await openConversation(page, cast.bob.username);
        await expect(messages(page, 'they look great')).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('new-group dialog: no serious or critical violations', async ({ api, cast, openAs }) => {
        const user = await api.register('axe');
        const page = await openAs(user, { viewport, colorScheme });
        await page.goto('/');
        await tid(page, 'new-group-button').click();
        await expect(tid(page, 'new-group-dialog')).toBeVisible();
        await tid(page, 'group-search').fill(cast.carol.username);
        await expect(
          page.locator(`[data-testid="group-candidate"][data-username="${cast.carol.username}"]`),
        ).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('group info panel: no serious or critical violations', async ({ api, cast, openAs }) => {
        const user = await api.register('axe');
        const name = `Crew ${user.username.slice(-5)}`;
        await api.group(user, name, [cast.bob, cast.carol]);
        const page = await openAs(user, { viewport, colorScheme });
        await page.goto('/');
        await openConversation(page, name);
        await tid(page, 'conversation-info-button').click();
        await expect(tid(page, 'group-member')).toHaveCount(3);
        await tid(page, 'group-add-search').fill(cast.ana.username);
        await expect(
          page.locator(`[data-testid="group-add-result"][data-username="${cast.ana.username}"]`),
        ).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('settings: no serious or critical violations', async ({ api, openAs }) => {
        const user = await api.register('axe');
        const page = await openAs(user, { viewport, colorScheme });
        await page.goto('/settings');
        await expect(tid(page, 'session-row')).toHaveCount(1);
        await expect(tid(page, 'settings-password')).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });
    });
  }
}

test('a polite live region reads out new messages in the open conversation, not history', async ({
  api,
  cast,
  openAs,
}) => {
  const user = await api.register('sr');
  const direct = await api.direct(user, cast.bob);
  await api.send(cast.bob, direct.id, 'An old message');
  const page = await openAs(user);
  await page.goto('/');
  await openConversation(page, cast.bob.username);
  await expect(messages(page, 'An old message')).toBeVisible();
  const announcer = tid(page, 'message-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await expect(announcer, 'history is not read out').toHaveText('');
  await api.send(cast.bob, direct.id, 'Fresh news 🎉');
  await expect(announcer).toHaveText(`${cast.bob.username}: Fresh news 🎉`);
  await tid(page, 'composer-input').fill('My own reply');
  await tid(page, 'composer-input').press('Enter');
  await expect(messages(page, 'My own reply')).toBeVisible();
  await expect(announcer, 'own messages are not read out').toHaveText(
    `${cast.bob.username}: Fresh news 🎉`,
  );
});
