import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Api, type TestUser } from './api';
import { openConversation } from './helpers';
import { AUTH_DIR } from './paths';

/** The users the `setup` project registered and signed in once for the whole run. */
export type CastName = 'ana' | 'bob' | 'carol';
export const CAST: readonly CastName[] = ['ana', 'bob', 'carol'];
export const castFile = (name: CastName) => join(AUTH_DIR, `${name}.json`);
export const castStateFile = (name: CastName) => join(AUTH_DIR, `${name}.state.json`);

type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>;

/** The state a signed-in tab keeps (see apps/web/src/app/core/auth/session.storage.ts). */
export function sessionState(baseURL: string, user: TestUser): StorageState {
  return {
    cookies: [],
    origins: [
      {
        origin: new URL(baseURL).origin,
        localStorage: [
          { name: 'chat.token', value: user.token },
          { name: 'chat.user', value: JSON.stringify(user.user) },
        ],
      },
    ],
  };
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * Collects the uncaught errors of every page the context has or opens later: those the browser
 * reports, and those Angular's global error listeners catch first and log as `ERROR ...`.
 */
function watchErrors(context: BrowserContext, errors: string[]): void {
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().startsWith('ERROR'))
        errors.push(`${page.url()}: ${message.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
}

interface Fixtures {
  api: Api;
  cast: Record<CastName, TestUser>;
  /** A new browser context (its own tab and socket) signed in as `user`, or signed out (null). */
  openAs: (user: TestUser | null, options?: OpenOptions) => Promise<Page>;
  /** Uncaught errors of every page the test opened: the test fails if any is left. */
  pageErrors: string[];
}

export const test = base.extend<Fixtures>({
  api: async ({ baseURL }, use) => {
    await use(new Api(baseURL ?? ''));
  },

  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  cast: async ({}, use) => {
    const cast = {} as Record<CastName, TestUser>;
    for (const name of CAST) {
      const file = castFile(name);
      if (!existsSync(file)) throw new Error(`${file} is missing: run the setup project`);
      cast[name] = JSON.parse(readFileSync(file, 'utf8')) as TestUser;
    }
    await use(cast);
  },

  pageErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      watchErrors(context, errors);
      await use(errors);
      expect(errors, 'no uncaught errors in the pages').toEqual([]);
    },
    { auto: true },
  ],

  openAs: async ({ browser, baseURL, cast, pageErrors }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (user, options = {}) => {
      const castName = CAST.find((name) => cast[name].user.id === user?.user.id);
      const context = await browser.newContext({
        baseURL,
        viewport: options.viewport ?? { width: 1440, height: 900 },
        colorScheme: options.colorScheme ?? 'light',
        storageState: castName
          ? castStateFile(castName)
          : user
            ? sessionState(baseURL ?? '', user)
            : undefined,
      });
      watchErrors(context, pageErrors);
      contexts.push(context);
      return context.newPage();
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

/** Ana (signed in by the setup project) and a new partner in a direct conversation, both open. */
export async function directPair(
  { api, cast, openAs }: Pick<Fixtures, 'api' | 'cast' | 'openAs'>,
  { open = true }: { open?: boolean } = {},
): Promise<{ a: Page; b: Page; ana: TestUser; partner: TestUser }> {
  const ana = cast.ana;
  const partner = await api.register('pat');
  await api.direct(ana, partner);
  const a = await openAs(ana);
  const b = await openAs(partner);
  await a.goto('/');
  await b.goto('/');
  if (open) {
    await openConversation(a, partner.username);
    await openConversation(b, ana.username);
  }
  return { a, b, ana, partner };
}
