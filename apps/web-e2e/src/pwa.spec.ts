import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { conversationItem, messages, openConversation, send, tid } from './helpers';

interface Manifest {
  name?: string;
  short_name?: string;
  start_url?: string;
  display?: string;
  theme_color?: string;
  icons?: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** What the client saved for offline use, in localStorage. */
function snapshotText(page: Page): Promise<string> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('chat.snapshot.'))
      .map((key) => localStorage.getItem(key) ?? '')
      .join(''),
  );
}

/** Resolves once the service worker is active and controls the page (a reload may be needed). */
async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
  }
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? ''), {
      message: 'the service worker controls the page',
    })
    .toMatch(/\/sw\.js$/);
  // Angular's worker serves the shell from its cache only once every prefetched file is in it.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const manifest = (await (await fetch('/ngsw.json')).json()) as {
            assetGroups: { name: string; urls: string[] }[];
          };
          const shell = manifest.assetGroups.find((group) => group.name === 'app-shell');
          const cached = await Promise.all(
            (shell?.urls ?? []).map((url) => caches.match(url).then(Boolean)),
          );
          return cached.length > 0 && cached.every(Boolean);
        }),
      { message: 'the app shell is cached', timeout: 30_000 },
    )
    .toBe(true);
}

test('the manifest is linked and served with a name, icons and the theme colour', async ({
  openAs,
  baseURL,
}) => {
  const page = await openAs(null);
  await page.goto('/login');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href, 'index.html links the manifest').toBe('manifest.webmanifest');
  const themeMeta = await page.locator('meta[name="theme-color"]').getAttribute('content');

  const response = await page.request.get(new URL(href ?? '', `${baseURL}/`).href);
  expect(response.status()).toBe(200);
  const manifest = (await response.json()) as Manifest;
  expect(manifest.name).toBe('chat');
  expect(manifest.start_url).toBe('/');
  expect(manifest.display).toBe('standalone');
  expect(manifest.theme_color, 'the same colour as the page').toBe(themeMeta);
  const sizes = (manifest.icons ?? []).map((icon) => icon.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(manifest.icons?.some((icon) => icon.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons ?? []) {
    const file = await page.request.get(new URL(icon.src, `${baseURL}/`).href);
    expect(file.status(), `${icon.src} is served`).toBe(200);
    expect(file.headers()['content-type'], `${icon.src} type`).toContain(icon.type);
  }
});

test("Chromium's own installability check finds nothing missing", async ({
  playwright,
  launchOptions,
  baseURL,
}) => {
  // A profile on disk: Chromium never offers installation in an incognito context, which is
  // what every other test's context is.
  const profile = mkdtempSync(join(tmpdir(), 'chat-install-'));
  const context = await playwright.chromium.launchPersistentContext(profile, {
    ...launchOptions,
    baseURL,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto('/login');
  await controlled(page);
  // The check the browser runs before it offers "Install app": manifest fields, icons, a
  // service worker with a fetch handler, a secure origin.
  const cdp = await page.context().newCDPSession(page);
  await expect
    .poll(
      async () => {
        const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
          installabilityErrors: { errorId: string }[];
        };
        return installabilityErrors.map((error) => error.errorId);
      },
      { message: 'no installability errors', timeout: 20_000 },
    )
    .toEqual([]);
  const { url, data } = (await cdp.send('Page.getAppManifest')) as { url: string; data: string };
  expect(url).toMatch(/manifest\.webmanifest$/);
  expect(JSON.parse(data)).toMatchObject({ display: 'standalone' });
  await context.close();
  rmSync(profile, { recursive: true, force: true });
});

test('a push delivered to the service worker shows one notification per conversation', async ({
  openAs,
  baseURL,
}) => {
  const page = await openAs(null);
  await page.context().grantPermissions(['notifications'], { origin: baseURL });
  await page.goto('/login');
  await controlled(page);
  // Chromium hands the payload to the worker exactly as a push service's message would be.
  const cdp = await page.context().newCDPSession(page);
  const registration = new Promise<string>((resolve) =>
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r: { isDeleted: boolean }) => !r.isDeleted);
      if (ours) resolve(ours.registrationId as string);
    }),
  );
  await cdp.send('ServiceWorker.enable');
  const registrationId = await registration;
  const origin = new URL(baseURL ?? '').origin;
  const push = (body: string) =>
    cdp.send('ServiceWorker.deliverPushMessage', {
      origin,
      registrationId,
      data: JSON.stringify({ conversationId: 'c-1', messageId: 'm', seq: 1, title: 'Ana', body }),
    });
  const shown = () =>
    page.evaluate(async () => {
      const worker = await navigator.serviceWorker.ready;
      return (await worker.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        url: (n.data as { url?: string } | null)?.url,
      }));
    });
  await push('See you at 8');
  await expect
    .poll(shown, { message: 'the notification is shown' })
    .toEqual([{ title: 'Ana', body: 'See you at 8', tag: 'conversation:c-1', url: '/c/c-1' }]);
  await push('Bring the map');
  await expect
    .poll(shown, { message: 'a newer message replaces it (one per conversation)' })
    .toEqual([{ title: 'Ana', body: 'Bring the map', tag: 'conversation:c-1', url: '/c/c-1' }]);
});

test('offline, a reload shows the saved conversations read-only and queues what is typed', async ({
  api,
  cast,
  openAs,
}) => {
  const user = await api.register('pwa');
  const direct = await api.direct(user, cast.bob);
  await api.send(cast.bob, direct.id, 'saved for the train');
  const page = await openAs(user);
  await page.goto('/');
  await openConversation(page, cast.bob.username);
  await expect(messages(page, 'saved for the train')).toBeVisible();
  await controlled(page);
  // The snapshot is written once the state settles.
  await expect.poll(() => snapshotText(page), { timeout: 10_000 }).toContain('saved for the train');

  await page.context().setOffline(true);
  await page.reload();
  await expect(tid(page, 'current-user'), 'the app shell, from the cache').toBeVisible();
  await expect(tid(page, 'connection-banner')).toContainText('showing what this device saved');
  await expect(
    messages(page, 'saved for the train'),
    'the thread, from the snapshot',
  ).toBeVisible();
  await send(page, 'typed on the train');
  await expect(messages(page, 'typed on the train')).toHaveAttribute('data-status', 'pending');
  await api.send(cast.bob, direct.id, 'sent while you were away');

  await page.context().setOffline(false);
  await expect(tid(page, 'connection-banner')).toBeHidden({ timeout: 20_000 });
  await expect(
    messages(page, 'sent while you were away'),
    'caught up after the snapshot',
  ).toBeVisible();
  await expect(messages(page, 'typed on the train')).not.toHaveAttribute('data-status', 'pending', {
    timeout: 15_000,
  });
  const history = await api.history(cast.bob, direct.id);
  expect(history.map((m) => m.content)).toContain('typed on the train');

  // Logging out erases what this device saved.
  await tid(page, 'logout-button').click();
  await expect.poll(() => snapshotText(page)).toBe('');
});

test('the title counts unread messages and leaves muted conversations out', async ({
  api,
  cast,
  openAs,
}) => {
  const user = await api.register('ttl');
  const quiet = await api.register('quiet');
  const withBob = await api.direct(user, cast.bob);
  const withCarol = await api.direct(user, cast.carol);
  await api.direct(user, quiet);
  await api.send(cast.bob, withBob.id, 'Ping from Bob');
  await api.send(cast.carol, withCarol.id, 'Ping from Carol');
  const page = await openAs(user);
  await page.goto('/');
  await expect(page).toHaveTitle('(2) chat');

  await openConversation(page, cast.bob.username);
  await expect(page, 'reading Bob').toHaveTitle('(1) chat');
  await tid(page, 'mute-button').click();
  await tid(page, 'mute-option').first().click();
  await expect(tid(page, 'mute-button')).toHaveAttribute('aria-label', /muted/i);

  await openConversation(page, quiet.username);
  await api.send(cast.bob, withBob.id, 'Another ping from Bob');
  await api.send(cast.bob, withBob.id, 'And one more');
  await expect(tid(conversationItem(page, cast.bob.username), 'unread-badge')).toHaveText('2');
  await api.send(cast.carol, withCarol.id, 'Carol again');
  await expect(tid(conversationItem(page, cast.carol.username), 'unread-badge')).toHaveText('2');
  await expect(page, "Carol's two count, the muted two do not").toHaveTitle('(2) chat');

  await openConversation(page, cast.carol.username);
  await expect(page, 'nothing unread outside the muted one').toHaveTitle('chat');
});
