import { mkdirSync, writeFileSync } from 'node:fs';
import { test as setup, expect } from '@playwright/test';
import { Api } from './api';
import { CAST, castFile, castStateFile } from './fixtures';
import { tid } from './helpers';
import { AUTH_DIR } from './paths';

// Registers the shared users through the API, then signs each in once through the login form;
// the specs reuse the saved storage state instead of signing in again.
for (const name of CAST) {
  setup(`sign in ${name}`, async ({ page, baseURL }) => {
    mkdirSync(AUTH_DIR, { recursive: true });
    const user = await new Api(baseURL ?? '').register(name);
    await page.goto('/login');
    await tid(page, 'login-identifier').fill(user.username);
    await tid(page, 'login-password').fill(user.password);
    await tid(page, 'login-submit').click();
    await expect(tid(page, 'current-user')).toBeVisible();
    const token = await page.evaluate(() => localStorage.getItem('chat.token'));
    expect(token, 'the session is kept in localStorage').toBeTruthy();
    await page.context().storageState({ path: castStateFile(name) });
    writeFileSync(castFile(name), JSON.stringify({ ...user, token }, null, 2));
  });
}
