import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, eventually } from './harness.mjs';
import { makePng } from './png.mjs';

const PASSWORD = 'correct-horse-battery-42';

function tid(scope, id) {
  return scope.locator(`[data-testid="${id}"]`);
}

/** The message bubble(s) whose text contains `text`. */
function messages(page, text) {
  return page.locator('[data-testid="message"]', {
    has: page.locator('[data-testid="message-text"]', { hasText: text }),
  });
}

async function status(page, text) {
  return messages(page, text).first().getAttribute('data-status');
}

async function register(page, user) {
  await page.goto('/register');
  await tid(page, 'register-username').fill(user.username);
  await tid(page, 'register-email').fill(user.email);
  await tid(page, 'register-password').fill(user.password);
  await tid(page, 'register-submit').click();
  await tid(page, 'current-user').waitFor();
}

async function registerByApi(base, user) {
  const response = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user.username, email: user.email, password: user.password }),
  });
  assert(response.status === 201, `register ${user.username} answered ${response.status}`);
  return response.json();
}

async function send(page, text) {
  const input = tid(page, 'composer-input');
  await input.fill(text);
  await input.press('Enter');
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The list entry whose name is exactly `name` (a preview may mention the name too). */
function conversationItem(page, name) {
  return page.locator('[data-testid="conversation-item"]', {
    has: page.locator('[data-testid="conversation-name"]', {
      hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`),
    }),
  });
}

async function openConversation(page, name) {
  await conversationItem(page, name).first().click();
  await tid(page, 'conversation-title')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) })
    .waitFor();
}

async function imageLoaded(locator) {
  return locator.evaluate((img) => img.complete && img.naturalWidth > 0);
}

export async function runScenarios({ browser, base, harness, screenshotsDir, failuresDir }) {
  const { step, story } = harness;
  const run = Date.now().toString(36).slice(-6);
  const ana = { username: `ana_${run}`, email: `ana_${run}@example.com`, password: PASSWORD };
  const bob = { username: `bob_${run}`, email: `bob_${run}@example.com`, password: PASSWORD };
  const carol = { username: `carol_${run}`, email: `carol_${run}@example.com`, password: PASSWORD };
  const desktop = { width: 1440, height: 900 };
  const phone = { width: 375, height: 812 };

  const errors = [];
  const consoleLines = [];
  const pages = new Map();
  async function newPage(context, label) {
    const page = await context.newPage();
    pages.set(label, page);
    page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        consoleLines.push(`${label} ${message.type()}: ${message.text()}`);
      }
    });
    return page;
  }
  harness.onFailure(async (name) => {
    if (!failuresDir) return;
    mkdirSync(failuresDir, { recursive: true });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    for (const [label, page] of pages) {
      if (!page.isClosed())
        await page
          .screenshot({ path: join(failuresDir, `${slug}-${label}.png`) })
          .catch(() => undefined);
    }
    if (consoleLines.length)
      console.log(
        `      browser console:\n${consoleLines
          .slice(-15)
          .map((l) => `        ${l}`)
          .join('\n')}`,
      );
    console.log(`      screenshots in ${failuresDir}`);
  });
  const ctxA = await browser.newContext({ baseURL: base, viewport: desktop });
  const ctxB = await browser.newContext({ baseURL: base, viewport: desktop });
  ctxA.setDefaultTimeout(15_000);
  ctxB.setDefaultTimeout(15_000);
  let a = await newPage(ctxA, 'ana');
  let b = await newPage(ctxB, 'bob');

  async function shot(page, name, { viewport, dark = false } = {}) {
    if (!screenshotsDir) return;
    mkdirSync(screenshotsDir, { recursive: true });
    if (viewport) await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
    await page.waitForTimeout(350);
    await page.screenshot({ path: join(screenshotsDir, `${name}.png`) });
  }

  story('Accounts');
  await step('registration shows field errors inline', async () => {
    await a.goto('/register');
    await tid(a, 'register-username').fill('x');
    await tid(a, 'register-email').fill('not-an-email');
    await tid(a, 'register-password').fill('short');
    await tid(a, 'register-submit').click();
    await tid(a, 'register-username-error').waitFor();
    await tid(a, 'register-email-error').waitFor();
    await tid(a, 'register-password-error').waitFor();
    assert(a.url().endsWith('/register'), 'stayed on the form');
  });

  await step('two users register and land in an empty chat list', async () => {
    await register(a, ana);
    await register(b, bob);
    await tid(a, 'no-conversations').waitFor();
    const token = await a.evaluate(() => localStorage.getItem('chat.token'));
    assert(token, 'the token is kept in localStorage');
  });

  await step(
    'a taken username is refused with a clear message',
    async () => {
      const ctx = await browser.newContext({ baseURL: base, viewport: desktop });
      const page = await ctx.newPage();
      await page.goto('/register');
      await tid(page, 'register-username').fill(ana.username);
      await tid(page, 'register-email').fill(`other_${run}@example.com`);
      await tid(page, 'register-password').fill(PASSWORD);
      await tid(page, 'register-submit').click();
      await eventually(
        async () =>
          (await tid(page, 'register-username-error').isVisible()) ||
          (await tid(page, 'register-error').isVisible()),
        'an error for the duplicate username',
      );
      await ctx.close();
    },
    { independent: true },
  );

  story('Direct conversation between two browsers');
  await step('starts a direct chat from the people search', async () => {
    await tid(a, 'search-input').fill(bob.username);
    await a.locator(`[data-testid="user-result"][data-username="${bob.username}"]`).click();
    await tid(a, 'conversation-title').filter({ hasText: bob.username }).waitFor();
    assert(/\/c\/[0-9a-f-]+$/.test(a.url()), `the URL names the conversation (${a.url()})`);
  });

  await step('sees the other user online', async () => {
    await tid(a, 'presence-status')
      .filter({ hasText: /^\s*online\s*$/ })
      .waitFor();
    await a
      .locator('[data-testid="conversation-item"] [data-testid="online-dot"]')
      .first()
      .waitFor();
  });

  await step(
    'a message shows at once, is acknowledged, and reaches the other side once',
    async () => {
      await send(a, 'Hi Bob! How are you?');
      await messages(a, 'Hi Bob!').waitFor();
      await eventually(
        async () => (await status(a, 'Hi Bob!')) !== 'pending',
        'the message is acknowledged',
      );
      const item = conversationItem(b, ana.username);
      await item.waitFor();
      await item.locator('[data-testid="conversation-preview"]', { hasText: 'Hi Bob!' }).waitFor();
      await item.locator('[data-testid="unread-badge"]', { hasText: '1' }).waitFor();
      assert((await messages(a, 'Hi Bob!').count()) === 1, 'shown once to the sender');
    },
  );

  await step('shows delivered ticks once the other device has it', async () => {
    await eventually(async () => (await status(a, 'Hi Bob!')) === 'delivered', 'delivered (✓✓)');
  });

  await step(
    'opening the conversation marks it read (blue ticks) and clears the badge',
    async () => {
      await openConversation(b, ana.username);
      await messages(b, 'Hi Bob!').waitFor();
      await eventually(
        async () => (await status(a, 'Hi Bob!')) === 'read',
        'read by the other side',
      );
      const ticks = messages(a, 'Hi Bob!').locator('[data-testid="message-status"]');
      assert(
        await ticks.evaluate((el) => el.classList.contains('read')),
        'read ticks are highlighted',
      );
      await eventually(
        async () =>
          (await b
            .locator('[data-testid="conversation-item"] [data-testid="unread-badge"]')
            .count()) === 0,
        'no unread badge left',
      );
    },
  );

  await step('shows who is typing, and stops when they stop', async () => {
    await tid(b, 'composer-input').click();
    await b.keyboard.type('Doing great', { delay: 40 });
    await tid(a, 'typing-indicator')
      .filter({ hasText: `${bob.username} is typing` })
      .waitFor();
    await tid(b, 'composer-input').fill('');
    await tid(b, 'composer-input').press('Backspace');
    await tid(a, 'typing-indicator').waitFor({ state: 'hidden', timeout: 10_000 });
  });

  await step('Enter sends, Shift+Enter makes a new line; replies arrive live', async () => {
    const input = tid(b, 'composer-input');
    await input.click();
    await b.keyboard.type('Doing great, thanks!');
    await b.keyboard.press('Shift+Enter');
    await b.keyboard.type('And you?');
    await b.keyboard.press('Enter');
    const reply = messages(a, 'Doing great, thanks!');
    await reply.waitFor();
    const text = await reply.locator('[data-testid="message-text"]').innerText();
    assert(
      text.includes('thanks!\nAnd you?'),
      `two lines in one message (got ${JSON.stringify(text)})`,
    );
    assert((await input.inputValue()) === '', 'the composer is cleared');
  });

  await step('links are clickable and HTML stays plain text', async () => {
    await send(a, '<b>not bold</b> the docs: https://example.com/docs?x=1.');
    const bubble = messages(b, 'not bold');
    await bubble.waitFor();
    const link = bubble.locator('a[href="https://example.com/docs?x=1"]');
    await link.waitFor();
    assert((await link.getAttribute('target')) === '_blank', 'opens in a new tab');
    assert((await link.getAttribute('rel'))?.includes('noopener'), 'rel=noopener');
    assert((await bubble.locator('b').count()) === 0, 'no <b> element was created');
    assert((await bubble.innerText()).includes('<b>not bold</b>'), 'the markup is shown as text');
  });

  await step('shares an image with a preview, on both sides, and opens it full size', async () => {
    await tid(a, 'file-input').setInputFiles({
      name: 'sunset.png',
      mimeType: 'image/png',
      buffer: makePng(),
    });
    await tid(a, 'attachment-preview').waitFor();
    await tid(a, 'send-button').click();
    const own = a
      .locator('[data-testid="message"][data-own="true"] [data-testid="message-image"] img')
      .last();
    await own.waitFor();
    await eventually(
      async () => {
        const state = await a
          .locator('[data-testid="message"]:has([data-testid="message-image"])')
          .last()
          .getAttribute('data-status');
        return state && !['uploading', 'pending', 'failed'].includes(state);
      },
      'the image message is acknowledged',
      20_000,
    );
    const theirs = b.locator('[data-testid="message-image"] img').last();
    await theirs.waitFor();
    await eventually(() => imageLoaded(theirs), 'the image loads for the receiver');
    const src = await theirs.getAttribute('src');
    assert(src && !src.startsWith('blob:'), `served by the API (${src})`);
    await b.locator('[data-testid="message-image"]').last().click();
    const full = tid(b, 'image-viewer-img');
    await full.waitFor();
    await eventually(() => imageLoaded(full), 'the full-size image loads');
    await b.keyboard.press('Escape');
    await full.waitFor({ state: 'hidden' });
  });

  await step('creates a group with people from the search', async () => {
    await registerByApi(base, carol);
    await tid(a, 'new-group-button').click();
    await tid(a, 'group-name').fill('Weekend plans');
    for (const user of [bob, carol]) {
      await tid(a, 'group-search').fill(user.username);
      await a.locator(`[data-testid="group-candidate"][data-username="${user.username}"]`).click();
    }
    await tid(a, 'group-create').click();
    await tid(a, 'conversation-title').filter({ hasText: 'Weekend plans' }).waitFor();
    await send(a, 'Who is in for Saturday?');
    await conversationItem(b, 'Weekend plans').waitFor();
    await openConversation(b, 'Weekend plans');
    await send(b, 'Count me in!');
    await messages(a, 'Count me in!').waitFor();
    await tid(a, 'message-sender').filter({ hasText: bob.username }).first().waitFor();
  });

  await step('screenshots of the main screens (desktop and phone, light and dark)', async () => {
    await openConversation(a, bob.username);
    await shot(a, 'desktop-chat-light', { viewport: desktop });
    await shot(a, 'desktop-chat-dark', { viewport: desktop, dark: true });
    await openConversation(b, ana.username);
    await shot(b, 'phone-chat-light', { viewport: phone });
    await shot(b, 'phone-chat-dark', { viewport: phone, dark: true });
    await tid(b, 'back-button').click();
    await tid(b, 'conversation-list').waitFor();
    await shot(b, 'phone-list-light', { viewport: phone });
    await shot(b, 'phone-list-dark', { viewport: phone, dark: true });
    await b.setViewportSize(desktop);
    await b.emulateMedia({ colorScheme: 'light' });
    await a.emulateMedia({ colorScheme: 'light' });
    await openConversation(b, ana.username);
  });

  await step('sees the other user go offline, and come back after a reload', async () => {
    await b.close();
    await tid(a, 'presence-status')
      .filter({ hasText: /last seen|offline/ })
      .waitFor({ timeout: 20_000 });
    b = await newPage(ctxB, 'bob');
    await b.goto('/');
    await tid(b, 'current-user').waitFor(); // the session survived
    await tid(a, 'presence-status')
      .filter({ hasText: /^\s*online\s*$/ })
      .waitFor({ timeout: 20_000 });
    await openConversation(b, ana.username);
  });

  story('Reliability: dropped connection, outbox, catch-up');
  await step(
    'while offline: banner, pending message; on reconnect it goes out once and nothing is missed',
    async () => {
      if (!(await tid(a, 'conversation-title').filter({ hasText: bob.username }).isVisible())) {
        await openConversation(a, bob.username);
      }
      if (!(await tid(b, 'conversation-title').filter({ hasText: ana.username }).isVisible())) {
        await openConversation(b, ana.username);
      }
      await ctxA.setOffline(true);
      await tid(a, 'connection-banner').waitFor();
      await send(a, 'Sent while offline');
      await eventually(
        async () => (await status(a, 'Sent while offline')) === 'pending',
        'pending while offline',
      );
      await send(b, 'Sent while Ana was away');
      await messages(b, 'Sent while Ana was away').waitFor();
      await a.waitForTimeout(1500);
      assert(
        (await messages(a, 'Sent while Ana was away').count()) === 0,
        'A could not have received it yet',
      );
      await ctxA.setOffline(false);
      await tid(a, 'connection-banner').waitFor({ state: 'hidden', timeout: 20_000 });
      await eventually(
        async () => ['sent', 'delivered', 'read'].includes(await status(a, 'Sent while offline')),
        'acknowledged after reconnecting',
        20_000,
      );
      await messages(b, 'Sent while offline').waitFor();
      await messages(a, 'Sent while Ana was away').waitFor();
      await a.waitForTimeout(1500);
      for (const [page, text] of [
        [a, 'Sent while offline'],
        [b, 'Sent while offline'],
        [a, 'Sent while Ana was away'],
        [b, 'Sent while Ana was away'],
      ]) {
        const count = await messages(page, text).count();
        assert(count === 1, `"${text}" shown ${count} times`);
      }
      const countA = await a.locator('[data-testid="message"]').count();
      const countB = await b.locator('[data-testid="message"]').count();
      assert(countA === countB, `both sides hold the same messages (${countA} vs ${countB})`);
    },
  );

  await step(
    'an unsent message survives closing the tab and is sent once from the next one',
    async () => {
      await ctxA.setOffline(true);
      await tid(a, 'connection-banner').waitFor();
      await send(a, 'Queued across a reload');
      await eventually(
        async () => (await status(a, 'Queued across a reload')) === 'pending',
        'pending',
      );
      const stored = await a.evaluate(() =>
        Object.keys(localStorage)
          .filter((key) => key.startsWith('chat.outbox.'))
          .map((key) => localStorage.getItem(key))
          .join(''),
      );
      assert(stored.includes('Queued across a reload'), 'the outbox is in localStorage');
      await a.close();
      await ctxA.setOffline(false);
      a = await newPage(ctxA, 'ana');
      await a.goto('/');
      await openConversation(a, bob.username);
      await messages(b, 'Queued across a reload').waitFor({ timeout: 20_000 });
      await eventually(
        async () =>
          ['sent', 'delivered', 'read'].includes(await status(a, 'Queued across a reload')),
        'acknowledged from the new tab',
      );
      await a.waitForTimeout(1000);
      assert((await messages(a, 'Queued across a reload').count()) === 1, 'once for the sender');
      assert((await messages(b, 'Queued across a reload').count()) === 1, 'once for the receiver');
      const left = await a.evaluate(
        () =>
          Object.keys(localStorage).filter(
            (key) => key.startsWith('chat.outbox.') && localStorage.getItem(key),
          ).length,
      );
      assert(left === 0, 'the outbox is empty');
    },
  );

  story('History');
  await step('scrolling up loads older pages and keeps the reading position', async () => {
    const dave = { username: `dave_${run}`, email: `dave_${run}@example.com`, password: PASSWORD };
    const erin = { username: `erin_${run}`, email: `erin_${run}@example.com`, password: PASSWORD };
    const daveAuth = await registerByApi(base, dave);
    const erinAuth = await registerByApi(base, erin);
    const headers = {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${daveAuth.token}`,
    };
    const created = await fetch(`${base}/api/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ userId: erinAuth.user.id }),
    });
    assert(created.ok, `create conversation answered ${created.status}`);
    const { id } = await created.json();
    for (let i = 1; i <= 130; i++) {
      const response = await fetch(`${base}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ clientId: `seed-${run}-${i}`, content: `History message ${i}` }),
      });
      assert(response.ok, `seeding message ${i} answered ${response.status}`);
    }
    const ctx = await browser.newContext({ baseURL: base, viewport: desktop });
    ctx.setDefaultTimeout(15_000);
    await ctx.addInitScript(
      ([token, user]) => {
        if (!localStorage.getItem('chat.token')) {
          localStorage.setItem('chat.token', token);
          localStorage.setItem('chat.user', JSON.stringify(user));
        }
      },
      [erinAuth.token, erinAuth.user],
    );
    const page = await newPage(ctx, 'erin');
    await page.goto('/');
    await openConversation(page, dave.username);
    const all = page.locator('[data-testid="message"]');
    await messages(page, 'History message 130').waitFor();
    await eventually(async () => (await all.count()) === 50, 'the newest page of 50');
    const list = tid(page, 'message-list');
    const atBottom = await list.evaluate(
      (el) => el.scrollHeight - el.scrollTop - el.clientHeight < 80,
    );
    assert(atBottom, 'opens at the newest message');

    const anchor = messages(page, 'History message 81').first();
    await list.evaluate((el) => (el.scrollTop = 0));
    await eventually(async () => (await all.count()) === 100, 'an older page of 50 is prepended');
    await page.waitForTimeout(300);
    const listBox = await list.boundingBox();
    const anchorBox = await anchor.boundingBox();
    assert(
      anchorBox &&
        listBox &&
        anchorBox.y >= listBox.y - 5 &&
        anchorBox.y < listBox.y + listBox.height,
      'the message that was at the top is still in view',
    );
    await list.evaluate((el) => (el.scrollTop = 0));
    await eventually(async () => (await all.count()) === 130, 'the oldest messages');
    await messages(page, 'History message 1').first().waitFor();
    const seqs = await all.evaluateAll((nodes) =>
      nodes.map((n) => Number(n.getAttribute('data-seq'))),
    );
    assert(
      seqs.every((seq, i) => seq === i + 1),
      'ascending, no gaps, no duplicates',
    );
    await ctx.close();
  });

  story('Sessions');
  await step('a revoked session returns to the login page with a message', async () => {
    const answer = await a.evaluate(async () => {
      const response = await fetch('/api/auth/logout', {
        method: 'POST',
        headers: { Authorization: `Bearer ${localStorage.getItem('chat.token')}` },
      });
      return response.status;
    });
    assert(answer === 204, `logout answered ${answer}`);
    await tid(a, 'login-notice').waitFor({ timeout: 20_000 });
    assert(a.url().endsWith('/login'), 'on the login page');
  });

  await step('logs in with the username and finds the conversations again', async () => {
    await tid(a, 'login-identifier').fill(ana.username);
    await tid(a, 'login-password').fill('wrong-password');
    await tid(a, 'login-submit').click();
    await tid(a, 'login-error').waitFor();
    await tid(a, 'login-password').fill(ana.password);
    await tid(a, 'login-submit').click();
    await tid(a, 'current-user').waitFor();
    await conversationItem(a, bob.username).waitFor();
    await conversationItem(a, 'Weekend plans').waitFor();
  });

  await step('logs out', async () => {
    await tid(a, 'logout-button').click();
    await tid(a, 'login-form').waitFor();
    assert(
      (await a.evaluate(() => localStorage.getItem('chat.token'))) === null,
      'the token is gone',
    );
    await shot(a, 'desktop-login-light', { viewport: desktop });
    await shot(a, 'desktop-login-dark', { viewport: desktop, dark: true });
    await shot(a, 'phone-login-light', { viewport: phone });
  });

  await step(
    'no uncaught errors in the pages',
    async () => {
      assert(errors.length === 0, `page errors: ${errors.join(' | ')}`);
    },
    { independent: true },
  );

  await ctxA.close();
  await ctxB.close();
}
