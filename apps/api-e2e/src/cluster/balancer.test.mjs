// The scaled-out topology with real processes on 127.0.0.1: three API instances on one
// PostgreSQL and Redis behind Debian's nginx running docker/nginx.conf (only the upstream
// addresses, listen port and paths rewritten), and the same code as `npm run cluster`.
// Users end up on different instances and still chat as if there were one.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderNginxConf } from '../../../../tools/check-docker.mjs';
import { api, connectSocket, nextEvent, register, sendMessage } from '../chat-client.mjs';
import { ROOT, freePort, startServer, tempDir, waitForHealth } from '../server-process.mjs';
import { REDIS_URL, freshDatabase, redisPrefix, servicesMissing } from '../services.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const missing = (await servicesMissing()) ?? (NGINX ? null : 'needs nginx (apt-get install nginx)');
if (missing && process.env.CI === 'true') throw new Error(missing);

const LIMITS_OFF = {
  THROTTLE_ANON_LIMIT: '0',
  THROTTLE_USER_LIMIT: '0',
  MESSAGE_RATE_PER_SECOND: '0',
  LOGIN_MAX_FAILURES_ACCOUNT: '0',
  LOGIN_MAX_FAILURES_IP: '0',
  BCRYPT_COST: '4',
  PRESENCE_GRACE_MS: '300',
  LOG_LEVEL: 'warn',
};

/** Socket counts per instance, read from each one's /metrics. */
async function socketsPerInstance(urls) {
  return Promise.all(
    urls.map(async (url) => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return Number(/^chat_sockets_connected (\d+)/m.exec(text)?.[1] ?? 0);
    }),
  );
}

describe('three instances behind nginx', { skip: missing ?? false }, () => {
  const cleanups = [];
  let lb;
  let instances;

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
    instances = await Promise.all([startServer(env), startServer(env), startServer(env)]);
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
    const check = spawnSync(
      NGINX,
      ['-t', '-c', join(prefix, 'nginx.conf'), '-p', prefix, '-e', join(prefix, 'error.log')],
      { encoding: 'utf8' },
    );
    assert.equal(check.status, 0, check.stderr);
    const nginx = spawn(
      NGINX,
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
    for (let i = 0; i < 6; i++) users.push(await register(lb, `lb${i}`));
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
    const group = await api(lb, users[0].token, 'POST', '/api/conversations', {
      type: 'group',
      name: 'Across instances',
      memberIds: users.slice(1).map((u) => u.user.id),
    });
    assert.equal(group.status, 201);
    const received = sockets.map(() => []);
    sockets.forEach((s, i) => s.on('message:new', (m) => received[i].push(m)));
    const acks = await Promise.all(
      sockets.map((s, i) => sendMessage(s, group.body.id, `hello from ${i}`)),
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
    const seqs = acks.map((a) => a.message.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);

    // Each sender has read up to its own message; a newer one from user 0 is unread for user 5.
    const latest = await sendMessage(sockets[0], group.body.id, 'read me');
    const read = nextEvent(sockets[0], 'message:read');
    await sockets[5]
      .timeout(5000)
      .emitWithAck('message:read', { conversationId: group.body.id, messageId: latest.message.id });
    assert.equal((await read).userId, users[5].user.id);

    const typing = nextEvent(sockets[1], 'typing:start');
    await sockets[4].timeout(5000).emitWithAck('typing:start', { conversationId: group.body.id });
    assert.equal((await typing).userId, users[4].user.id);

    const offline = nextEvent(sockets[0], 'user:offline', 5000);
    sockets[3].disconnect();
    assert.equal((await offline).userId, users[3].user.id);

    // Long-polling needs stickiness: a polling-only client works through the balancer.
    const poller = await connectSocket(lb, users[3].token, { transports: ['polling'] });
    const got = nextEvent(poller, 'message:new');
    const ack = await sendMessage(sockets[2], group.body.id, 'to the poller');
    assert.equal((await got).id, ack.message.id);
    for (const s of [...sockets, poller]) s.disconnect();
  });
});

describe(
  'npm run cluster (one worker per core, sticky sessions)',
  { skip: missing ?? false },
  () => {
    const cleanups = [];
    let url;

    before(async () => {
      const db = await freshDatabase('cluster');
      cleanups.push(() => db.drop());
      const port = await freePort();
      // node --test marks its children with NODE_TEST_CONTEXT; a server must not inherit it.
      const { NODE_TEST_CONTEXT: _testContext, ...parentEnv } = process.env;
      const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/apps/api/src/cluster.js')], {
        cwd: ROOT,
        env: {
          ...parentEnv,
          ...LIMITS_OFF,
          NODE_ENV: 'test',
          PORT: String(port),
          WEB_CONCURRENCY: '2',
          JWT_SECRET: 'e2e-secret-0123456789abcdef0123456789',
          DATABASE_URL: db.url,
          REDIS_URL,
          REDIS_KEY_PREFIX: redisPrefix('cluster'),
          UPLOAD_DIR: tempDir('chat-cl-up-'),
        },
        stdio: process.env.E2E_DEBUG ? 'inherit' : 'ignore',
      });
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      cleanups.push(async () => {
        child.kill('SIGTERM');
        assert.equal(await exited, 0, 'the cluster exits 0 on SIGTERM');
      });
      url = `http://127.0.0.1:${port}`;
      assert.ok(await waitForHealth(url), 'cluster does not answer /health');
    });

    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });

    test('polling and WebSocket clients on different workers chat through one port', async () => {
      const [a, b] = [await register(url, 'cla'), await register(url, 'clb')];
      const conv = await api(url, a.token, 'POST', '/api/conversations', { userId: b.user.id });
      const sa = await connectSocket(url, a.token, { transports: ['polling'] });
      const sb = await connectSocket(url, b.token, { transports: ['polling', 'websocket'] });
      const got = nextEvent(sb, 'message:new');
      const ack = await sendMessage(sa, conv.body.id, 'across workers');
      assert.ok(ack.ok);
      assert.equal((await got).id, ack.message.id);
      const back = nextEvent(sa, 'message:new');
      await sendMessage(sb, conv.body.id, 'and back');
      assert.equal((await back).content, 'and back');
      sa.disconnect();
      sb.disconnect();
    });
  },
);
