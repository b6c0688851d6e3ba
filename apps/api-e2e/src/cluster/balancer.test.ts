// The scaled-out topology with real processes on 127.0.0.1: three API instances on one
// PostgreSQL and Redis behind Debian's nginx running docker/nginx.conf (only the upstream
// addresses, listen port and paths rewritten), and the same code as `npm run cluster`.
// Users end up on different instances and still chat as if there were one.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  ackedMessage,
  apiMain,
  collectEvents,
  connectSocket,
  emitAck,
  freePort,
  freshDatabase,
  nextEvent,
  NO_LIMITS,
  redisPrefix,
  REDIS_URL,
  registerUser,
  RestClient,
  ROOT,
  sendMessage,
  servicesMissing,
  startServer,
  tempDir,
  waitForHealth,
  type ServerProcess,
} from '@chat/test-kit';
// tools/ is no Nx project: the one nginx config renderer lives with the docker check.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { renderNginxConf } from '../../../../tools/check-docker.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const missing = (await servicesMissing()) ?? (NGINX ? null : 'needs nginx (apt-get install nginx)');
if (missing && process.env['CI'] === 'true') throw new Error(missing);

const LIMITS_OFF: Record<string, string> = {
  ...NO_LIMITS,
  BCRYPT_COST: '4',
  PRESENCE_GRACE_MS: '300',
  LOG_LEVEL: 'warn',
};

/** Socket counts per instance, read from each one's /metrics. */
async function socketsPerInstance(urls: string[]): Promise<number[]> {
  return Promise.all(
    urls.map(async (url) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return Number(/^chat_sockets_connected (\d+)/m.exec(text)?.[1] ?? 0);
    }),
  );
}

describe('three instances behind nginx', { skip: missing ?? false }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let lb: string;
  let instances: ServerProcess[];

  before(async () => {
    const db = await freshDatabase('lb');
    cleanups.push(() => db.drop());
    const env = {
      ...LIMITS_OFF,
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_KEY_PREFIX: redisPrefix('lb'),
      UPLOAD_DIR: tempDir('chat-lb-up-'),
    };
    // All three boot at once: the advisory lock must serialise their migrations.
    instances = await Promise.all([
      startServer({ env }),
      startServer({ env }),
      startServer({ env }),
    ]);
    for (const s of instances) cleanups.push(() => s.stop());
    for (const s of instances) assert.ok(await waitForHealth(s.url), s.logs());

    const prefix = tempDir('chat-nginx-');
    const port = await freePort();
    const conf = renderNginxConf(readFileSync(join(ROOT, 'docker/nginx.conf'), 'utf8'), {
      servers: instances.map((s) => `127.0.0.1:${s.port}`),
      listen: `127.0.0.1:${port}`,
      prefix,
    });
    writeFileSync(join(prefix, 'nginx.conf'), conf);
    assert.ok(NGINX);
    const nginxBin = NGINX;
    const check = spawnSync(
      nginxBin,
      ['-t', '-c', join(prefix, 'nginx.conf'), '-p', prefix, '-e', join(prefix, 'error.log')],
      { encoding: 'utf8' },
    );
    assert.equal(check.status, 0, check.stderr);
    const nginx = spawn(
      nginxBin,
      [
        '-c',
        join(prefix, 'nginx.conf'),
        '-p',
        prefix,
        '-e',
        join(prefix, 'error.log'),
        '-g',
        'daemon off;',
      ],
      { stdio: 'ignore' },
    );
    cleanups.push(
      () =>
        new Promise((resolve) => {
          nginx.once('exit', resolve);
          nginx.kill('SIGQUIT');
        }),
    );
    lb = `http://127.0.0.1:${port}`;
    assert.ok(await waitForHealth(lb), 'nginx does not answer /health');
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  test('users spread over the instances chat, with receipts, typing and presence, through the balancer', async () => {
    // Different client addresses hash to different instances on the sticky socket upstream.
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await registerUser(lb, `lb${i}`));
    const sockets = await Promise.all(
      users.map((u, i) => connectSocket(lb, u.token, { localAddress: `127.0.0.${i + 2}` })),
    );
    const spread = await socketsPerInstance(instances.map((s) => s.url));
    assert.equal(
      spread.reduce((a, b) => a + b, 0),
      sockets.length,
    );
    assert.ok(spread.filter((n) => n > 0).length >= 2, `sockets all on one instance: ${spread}`);

    // Everyone talks to everyone in a group: every message reaches every other member once.
    const [owner, ...members] = users;
    assert.ok(owner);
    const group = await new RestClient(lb, owner.token).group(
      'Across instances',
      members.map((u) => u.id),
    );
    const received = sockets.map((s) => collectEvents(s, 'message:new'));
    const acks = await Promise.all(
      sockets.map((s, i) => sendMessage(s, group.id, `hello from ${i}`)),
    );
    assert.ok(
      acks.every((a) => a.ok),
      JSON.stringify(acks.filter((a) => !a.ok)),
    );
    await new Promise((r) => setTimeout(r, 800));
    received.forEach((list, i) => {
      assert.equal(list.length, sockets.length - 1, `user ${i} got ${list.length} messages`);
      assert.equal(new Set(list.map((m) => m.id)).size, list.length);
    });
    const seqs = acks.map((a) => ackedMessage(a).seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);

    // Each sender has read up to its own message; a newer one from user 0 is unread for user 5.
    const latest = await sendMessage(sockets[0], group.id, 'read me');
    const read = nextEvent(sockets[0], 'message:read');
    await emitAck(
      sockets[5],
      'message:read',
      { conversationId: group.id, messageId: ackedMessage(latest).id },
      5000,
    );
    assert.equal((await read).userId, users[5]?.id);

    const typing = nextEvent(sockets[1], 'typing:start');
    await emitAck(sockets[4], 'typing:start', { conversationId: group.id }, 5000);
    assert.equal((await typing).userId, users[4]?.id);

    const offline = nextEvent(sockets[0], 'user:offline', { timeoutMs: 5000 });
    sockets[3].disconnect();
    assert.equal((await offline).userId, users[3]?.id);

    // Long-polling needs stickiness: a polling-only client works through the balancer.
    const poller = await connectSocket(lb, users[3].token, { transports: ['polling'] });
    const got = nextEvent(poller, 'message:new');
    const ack = await sendMessage(sockets[2], group.id, 'to the poller');
    assert.equal((await got).id, ackedMessage(ack).id);
    for (const s of [...sockets, poller]) s.disconnect();
  });
});

describe(
  'npm run cluster (one worker per core, sticky sessions)',
  { skip: missing ?? false },
  () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    let url: string;

    before(async () => {
      const db = await freshDatabase('cluster');
      cleanups.push(() => db.drop());
      const cluster = await startServer({
        main: apiMain('cluster'),
        name: 'cluster',
        env: {
          ...LIMITS_OFF,
          WEB_CONCURRENCY: '2',
          DATABASE_URL: db.url,
          REDIS_URL,
          REDIS_KEY_PREFIX: redisPrefix('cluster'),
          UPLOAD_DIR: tempDir('chat-cl-up-'),
        },
      });
      cleanups.push(async () => {
        const { code } = await cluster.stop();
        assert.equal(
          code,
          0,
          `the cluster exits 0 on SIGTERM; logs:\n${cluster.logs().slice(-2000)}`,
        );
      });
      url = cluster.url;
      assert.ok(await waitForHealth(url), 'cluster does not answer /health');
    });

    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('polling and WebSocket clients on different workers chat through one port', async () => {
      const [a, b] = [await registerUser(url, 'cla'), await registerUser(url, 'clb')];
      const conv = await new RestClient(url, a.token).direct(b.id);
      const sa = await connectSocket(url, a.token, { transports: ['polling'] });
      const sb = await connectSocket(url, b.token, { transports: ['polling', 'websocket'] });
      const got = nextEvent(sb, 'message:new');
      const ack = await sendMessage(sa, conv.id, 'across workers');
      assert.ok(ack.ok);
      assert.equal((await got).id, ackedMessage(ack).id);
      const back = nextEvent(sa, 'message:new');
      await sendMessage(sb, conv.id, 'and back');
      assert.equal((await back).content, 'and back');
      sa.disconnect();
      sb.disconnect();
    });
  },
);
