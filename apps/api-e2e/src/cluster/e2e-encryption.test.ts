// End-to-end encryption from the browsers, across real processes: two built API instances on
// one PostgreSQL and Redis, Ana's browser on one and Ben's on the other. Each browser makes its
// own keys; what the instances relay and log is ciphertext. A third browser of Ben's, set up
// later, reads what is sent from then on and not what came before; a tampered envelope shows
// as a message that could not be decrypted, not as a broken page.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ConversationView, MessageView, OwnDeviceView, UserView } from '@chat/shared-dto';
import {
  connectSocket,
  emitAck,
  expectStatus,
  freshDatabase,
  NO_LIMITS,
  redisPrefix,
  REDIS_URL,
  registerUser,
  RestClient,
  servicesMissing,
  SignalDevice,
  sleep,
  startServer,
  tempDir,
  waitForHealth,
  type ServerProcess,
} from '@chat/test-kit';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
const WEB_INDEX = join(process.cwd(), 'dist/apps/web/browser/index.html');

const missing =
  (await servicesMissing()) ??
  (existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`) ??
  (existsSync(WEB_INDEX) ? null : 'no web build (npx nx build web)');
if (missing && process.env['CI'] === 'true') throw new Error(missing);

interface Person {
  user: UserView;
  token: string;
}

/** Polls until `check` holds (bounded), then answers its last value. */
async function until<T>(what: string, read: () => Promise<T>, check: (v: T) => boolean) {
  const deadline = Date.now() + 20_000;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
    value = await read();
  }
  return value;
}

describe(
  'end-to-end encryption between browsers on two instances',
  { skip: missing ?? false },
  () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    let one: ServerProcess;
    let two: ServerProcess;
    let browser: Browser;
    const logs = tempDir('chat-e2ee-logs-');

    before(async () => {
      const db = await freshDatabase('e2ee');
      cleanups.push(() => db.drop());
      const env = {
        ...NO_LIMITS,
        BCRYPT_COST: '4',
        // Everything an instance would ever log, to look for plaintext in it.
        LOG_LEVEL: 'debug',
        DATABASE_URL: db.url,
        REDIS_URL,
        REDIS_KEY_PREFIX: redisPrefix('e2ee'),
        UPLOAD_DIR: tempDir('chat-e2ee-up-'),
      };
      [one, two] = await Promise.all([
        startServer({ env, name: 'one', logFile: join(logs, 'one.log') }),
        startServer({ env, name: 'two', logFile: join(logs, 'two.log') }),
      ]);
      for (const s of [one, two]) cleanups.push(() => s.stop());
      for (const s of [one, two]) assert.ok(await waitForHealth(s.url), s.logs());
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu'],
      });
      cleanups.push(() => browser.close());
    });

    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    });

    /** A browser signed in as `person` on `server`, with storage of its own (a new device). */
    async function device(server: ServerProcess, person: Person): Promise<Page> {
      const context: BrowserContext = await browser.newContext({
        baseURL: server.url,
        storageState: {
          cookies: [],
          origins: [
            {
              origin: server.url,
              localStorage: [
                { name: 'chat.token', value: person.token },
                { name: 'chat.user', value: JSON.stringify(person.user) },
              ],
            },
          ],
        },
      });
      cleanups.push(() => context.close());
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`${person.user.username}: ${err.message}`));
      await page.goto('/');
      return page;
    }
    const pageErrors: string[] = [];

    const devicesOf = (server: ServerProcess, person: Person) => () =>
      new RestClient(server.url, person.token)
        .request<OwnDeviceView[]>('GET', '/api/keys/devices')
        .then((res) => expectStatus(res, 200));

    const thread = (page: Page) => page.locator('[data-testid="message-text"]');

    async function open(page: Page, name: string): Promise<void> {
      await page
        .locator('[data-testid="conversation-item"]', {
          has: page.locator('[data-testid="conversation-name"]', { hasText: name }),
        })
        .first()
        .click();
    }

    async function say(page: Page, text: string): Promise<void> {
      const input = page.locator('[data-testid="composer-input"]');
      await input.fill(text);
      await input.press('Enter');
    }

    const shows = (page: Page, text: string) =>
      page
        .locator('[data-testid="message-text"]', { hasText: text })
        .first()
        .waitFor({ timeout: 20_000 });

    test('two browsers talk encrypted across instances; a later device reads only what follows; tampering shows', async () => {
      const ana = await registerUser(one.url, 'ea');
      const ben = await registerUser(one.url, 'eb');
      const anaPerson = { user: ana as unknown as UserView, token: ana.token };
      const benPerson = { user: ben as unknown as UserView, token: ben.token };

      const anaPage = await device(one, anaPerson);
      const benPage = await device(two, benPerson);
      // Each browser registers its keys on its own.
      await until("Ana's device", devicesOf(one, anaPerson), (d) => d.length === 1);
      await until("Ben's device", devicesOf(two, benPerson), (d) => d.length === 1);

      const conversation = expectStatus(
        await new RestClient(one.url, ana.token).request<ConversationView>(
          'POST',
          '/api/conversations',
          {
            body: { userId: ben.id, encrypted: true },
          },
        ),
        201,
      );
      assert.equal(conversation.encrypted, true);

      const first = `the eagle lands at dawn ${randomUUID().slice(0, 8)}`;
      const second = `copy that, dawn it is ${randomUUID().slice(0, 8)}`;
      await open(anaPage, ben.username);
      await say(anaPage, first);
      await open(benPage, ana.username);
      await shows(benPage, first);
      await say(benPage, second);
      await shows(anaPage, second);

      // Stored as ciphertext: what the API hands out has no text.
      const history = expectStatus(
        await new RestClient(two.url, ben.token).request<MessageView[]>(
          'GET',
          `/api/conversations/${conversation.id}/messages`,
        ),
        200,
      );
      const texts = history.filter((m) => m.type !== 'system');
      assert.equal(texts.length, 2);
      for (const m of texts) {
        assert.equal(m.content, '');
        assert.ok(m.encrypted && m.encrypted.envelopes.length >= 1);
      }

      // A reload reads the device's own copy: the ratchet cannot decrypt a message twice.
      await benPage.reload();
      await open(benPage, ana.username);
      await shows(benPage, first);

      // Ben signs in on a new browser, on the other instance.
      const laptop = await device(one, benPerson);
      await until("Ben's second device", devicesOf(one, benPerson), (d) => d.length === 2);
      const third = `new plan: noon ${randomUUID().slice(0, 8)}`;
      await say(anaPage, third);
      await open(laptop, ana.username);
      await shows(laptop, third);
      await shows(benPage, third);
      assert.equal(await thread(laptop).filter({ hasText: first }).count(), 0);
      await laptop.locator('[data-testid="e2e-no-key"]').first().waitFor({ timeout: 10_000 });

      // A tampered envelope, from a device of Ana's that a test drives: refused visibly.
      const forger = await SignalDevice.register(one.url, ana);
      const payload = await forger.encrypt([ana.id, ben.id], { v: 1, text: 'this must not show' });
      for (const envelope of payload.envelopes) {
        if (envelope.userId !== ben.id) continue;
        const bytes = Buffer.from(envelope.body, 'base64');
        bytes[bytes.length - 12] ^= 0x01;
        envelope.body = bytes.toString('base64');
      }
      const socket = await connectSocket(one.url, ana.token);
      cleanups.push(async () => socket.disconnect());
      const sent = await emitAck(socket, 'message:send', {
        conversationId: conversation.id,
        clientId: randomUUID(),
        encrypted: payload,
      });
      assert.equal(sent.ok, true);
      await benPage.locator('[data-testid="e2e-failed"]').first().waitFor({ timeout: 20_000 });
      assert.equal(await thread(benPage).filter({ hasText: 'this must not show' }).count(), 0);
      // The page still works after it.
      const fourth = `still here ${randomUUID().slice(0, 8)}`;
      await say(benPage, fourth);
      await shows(anaPage, fourth);
      assert.deepEqual(pageErrors, []);

      // Nothing an instance logged has a word of it.
      for (const name of ['one.log', 'two.log']) {
        const log = readFileSync(join(logs, name), 'utf8');
        assert.ok(log.length > 0, `${name} is empty`);
        for (const secret of [first, second, third, fourth])
          assert.ok(!log.includes(secret), `${name} has "${secret}"`);
      }
    });
  },
);
