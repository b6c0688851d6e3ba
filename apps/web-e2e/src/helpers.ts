import { expect, type Locator, type Page } from '@playwright/test';
import type { TestUser } from './api';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 375, height: 812 };

export function tid(scope: Page | Locator, id: string): Locator {
  return scope.locator(`[data-testid="${id}"]`);
}

/** The message bubble(s) whose text contains `text`. */
export function messages(page: Page, text: string): Locator {
  return page.locator('[data-testid="message"]', {
    has: page.locator('[data-testid="message-text"]', { hasText: text }),
  });
}

export function status(page: Page, text: string): Promise<string | null> {
  return messages(page, text).first().getAttribute('data-status');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const exactly = (text: string) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

/** The list entry whose name is exactly `name` (a preview may mention the name too). */
export function conversationItem(page: Page, name: string): Locator {
  return page.locator('[data-testid="conversation-item"]', {
    has: page.locator('[data-testid="conversation-name"]', { hasText: exactly(name) }),
  });
}

export async function openConversation(page: Page, name: string): Promise<void> {
  await conversationItem(page, name).first().click();
  await expect(tid(page, 'conversation-title').filter({ hasText: exactly(name) })).toBeVisible();
}

export async function send(page: Page, text: string): Promise<void> {
  const input = tid(page, 'composer-input');
  await input.fill(text);
  await input.press('Enter');
}

export async function register(
  page: Page,
  user: Pick<TestUser, 'username' | 'email' | 'password'>,
) {
  await page.goto('/register');
  await tid(page, 'register-username').fill(user.username);
  await tid(page, 'register-email').fill(user.email);
  await tid(page, 'register-password').fill(user.password);
  await tid(page, 'register-submit').click();
  await expect(tid(page, 'current-user')).toBeVisible();
}

export function imageLoaded(locator: Locator): Promise<boolean> {
  return locator.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
}

/** Keys of the outbox the client keeps in localStorage, with something in them. */
export function outboxText(page: Page): Promise<string> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('chat.outbox.'))
      .map((key) => localStorage.getItem(key) ?? '')
      .join(''),
  );
}
