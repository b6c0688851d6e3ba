#!/usr/bin/env node
// Static checks for docker/** (CI has no Docker engine): nginx -t on docker/nginx.conf,
// plus line scans of the compose file and Dockerfile. One line per check; exit 1 on any FAIL.
//   node tools/check-docker.mjs
// renderNginxConf() is exported so the multi-process cluster test can run the same config
// against local replicas:
//   renderNginxConf(text, { servers: ['127.0.0.1:3101', ...], listen: '127.0.0.1:8080', prefix })
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dockerDir = join(root, 'docker');

/**
 * Rewrites only what cannot work outside Docker: the `api` service name (one server line per
 * entry of `servers`), Docker's DNS at 127.0.0.11, log/pid paths, and the listen port (port
 * 80 needs root, and `nginx -t` binds it: a distro nginx already on :80 would fail the test).
 * `resolve` goes with the host name: meaningless for IP literals, unknown to nginx < 1.27.3.
 */
export function renderNginxConf(
  text,
  { servers = ['127.0.0.1:3000'], listen = '127.0.0.1:8080', prefix },
) {
  let upstreams = 0;
  const out = text
    .replace(/^(\s*)server\s+api:3000\b([^;]*);/gm, (_m, indent, params) => {
      upstreams += 1;
      const kept = params.replace(/\s+resolve\b/, '');
      return servers.map((s) => `${indent}server ${s}${kept};`).join('\n');
    })
    .replace(/^(\s*listen\s+)80;/m, `$1${listen};`)
    .replace(/^(\s*resolver\s+)127\.0\.0\.11\b/m, '$1127.0.0.1')
    .replace(/^(\s*pid\s+)\S+;/m, `$1${join(prefix, 'nginx.pid')};`)
    .replace(/^(\s*error_log\s+)\S+/m, `$1${join(prefix, 'error.log')}`)
    .replace(/^(\s*access_log\s+)\S+/m, `$1${join(prefix, 'access.log')}`);
  if (upstreams === 0) throw new Error('no `server api:3000` line found in nginx.conf');
  return out;
}

const results = [];
const report = (status, msg) => {
  results.push(status);
  console.log(`${status.padEnd(4)} ${msg}`);
};
const check = (ok, msg, why = '') =>
  report(ok ? 'ok' : 'FAIL', ok ? msg : `${msg}${why ? ` -- ${why}` : ''}`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', ...opts });
const firstLine = (r) =>
  `${r.stderr || ''}${r.stdout || ''}`.trim().split('\n').slice(-3).join(' | ');

const freePort = () =>
  new Promise((res, rej) => {
    const srv = createServer().once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

async function checkNginx() {
  const source = readFileSync(join(dockerDir, 'nginx.conf'), 'utf8');
  // /usr/sbin is not on every non-root PATH, and that is where Debian puts nginx.
  const nginx = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
  const version = run(nginx, ['-v']);
  if (version.error) {
    check(
      false,
      'nginx -t docker/nginx.conf',
      'nginx not found; install it with `apt-get install -y nginx`',
    );
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'check-nginx-'));
  try {
    writeFileSync(
      join(tmp, 'nginx.conf'),
      renderNginxConf(source, { prefix: tmp, listen: `127.0.0.1:${await freePort()}` }),
    );
    // -e: the startup error log, opened before the config is read.
    const t = run(nginx, [
      '-t',
      '-c',
      join(tmp, 'nginx.conf'),
      '-p',
      tmp,
      '-e',
      join(tmp, 'error.log'),
    ]);
    const v = version.stderr.trim().replace('nginx version: ', '');
    check(
      t.status === 0,
      `nginx -t docker/nginx.conf (${v}; api -> 127.0.0.1, listen/resolver/log paths rewritten, resolve dropped)`,
      firstLine(t),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // Static expectations nginx -t cannot see (comments stripped: they mention directives).
  const code = source.replace(/#.*$/gm, '');
  const has = (re) => re.test(code);
  check(
    has(/map\s+\$http_upgrade\s+\$connection_upgrade/) &&
      has(/proxy_set_header\s+Upgrade/) &&
      has(/proxy_http_version\s+1\.1/),
    'nginx: WebSocket upgrade headers',
  );
  check(
    has(/upstream\s+\w+\s*\{[^}]*hash\s+\$remote_addr\s+consistent[^}]*\}/) &&
      has(/location\s+\/socket\.io\/\s*\{[^}]*proxy_read_timeout/),
    'nginx: sticky upstream + long timeout for /socket.io/',
  );
  check(
    has(/upstream\s+\w+\s*\{[^}]*least_conn[^}]*\}/),
    'nginx: least_conn upstream for REST/static',
  );
  check(
    has(/zone\s+\w+/) && has(/server\s+api:3000\s+resolve\b/) && has(/resolver\s+127\.0\.0\.11/),
    'nginx: upstreams re-resolve `api` via Docker DNS (zone + resolve + resolver)',
  );
  check(
    has(/max_fails=/) && has(/proxy_next_upstream\s/) && !has(/non_idempotent/),
    'nginx: passive health checks, idempotent-only retries',
  );
  check(
    ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Request-Id'].every((h) =>
      has(new RegExp(`proxy_set_header\\s+${h}\\s`)),
    ),
    'nginx: X-Forwarded-For/-Proto and X-Request-Id',
  );
  check(
    has(/server_tokens\s+off/) && has(/client_max_body_size\s+\d+m/) && has(/gzip\s+on/),
    'nginx: server_tokens off, client_max_body_size, gzip',
  );
}

/** Top-level `services:` children as { name: [lines] }; enough YAML for a lint. */
function composeServices(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^services:\s*$/.test(l));
  const services = {};
  let current = null;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) && !line.startsWith('#')) break; // next top-level key
    const m = /^ {2}([\w.-]+):\s*$/.exec(line);
    if (m) services[(current = m[1])] = [];
    else if (current) services[current].push(line);
  }
  return services;
}

function checkCompose() {
  const file = join(dockerDir, 'docker-compose.yml');
  const services = composeServices(readFileSync(file, 'utf8'));
  const body = (name) => (services[name] || []).filter((l) => !/^\s*#/.test(l)).join('\n');
  for (const name of ['postgres', 'redis', 'api', 'nginx'])
    check(name in services, `compose: service ${name}`);
  check(
    /^\s+image:\s*['"]?postgres:16\b/m.test(body('postgres')) &&
      /pg_isready/.test(body('postgres')),
    'compose: postgres:16 with pg_isready healthcheck',
  );
  check(
    /^\s+image:\s*['"]?redis:7\b/m.test(body('redis')) && /healthcheck:/.test(body('redis')),
    'compose: redis:7 with healthcheck',
  );
  const api = body('api');
  check(
    !/^\s+container_name:/m.test(api) && !/^ {4}ports:/m.test(api),
    'compose: api has no container_name and no ports (scalable)',
  );
  check(/JWT_SECRET:\s*\$\{JWT_SECRET:\?/.test(api), 'compose: api requires JWT_SECRET');
  check(
    (api.match(/condition:\s*service_healthy/g) || []).length >= 2,
    'compose: api waits for healthy postgres and redis',
  );
  check(/^\s+-\s*\w+:\/app\/uploads/m.test(api), 'compose: api uploads on a shared named volume');
  check(
    /^\s+-\s*['"]?\$\{HTTP_PORT:-3000\}:80|^\s+-\s*['"]?3000:80/m.test(body('nginx')) &&
      /nginx\.conf:\/etc\/nginx\/nginx\.conf/.test(body('nginx')),
    'compose: nginx publishes 3000->80 with docker/nginx.conf',
  );

  const coturn = body('coturn');
  check(
    /^\s+image:\s*['"]?coturn\/coturn:/m.test(coturn) &&
      /--use-auth-secret/.test(coturn) &&
      /--static-auth-secret=\$\{TURN_SECRET\b/.test(coturn),
    'compose: coturn with use-auth-secret and static-auth-secret from TURN_SECRET',
  );
  check(
    /TURN_SECRET:\s*\$\{TURN_SECRET/.test(api) && /TURN_URLS:\s*\$\{TURN_URLS/.test(api),
    'compose: api gets TURN_URLS and TURN_SECRET',
  );

  const version = run('docker', ['compose', 'version']);
  if (version.error || version.status !== 0) {
    report('skip', 'docker compose config -q (no compose plugin for the docker client here)');
    return;
  }
  // The file refuses to render without JWT_SECRET; any value will do for a syntax check.
  const env = { ...process.env, JWT_SECRET: process.env.JWT_SECRET || 'x'.repeat(32) };
  const c = run('docker', ['compose', '-f', file, 'config', '-q'], { env });
  check(c.status === 0, 'docker compose config -q', firstLine(c));
}

function checkDockerfile() {
  const text = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8').replace(/^\s*#.*$/gm, '');
  const stages = text.split(/^FROM\s/im).slice(1);
  const named = stages.filter((s) => /^\S+\s+AS\s+\S+/i.test(s));
  const last = stages.at(-1) || '';
  check(named.length >= 2, `Dockerfile: multi-stage (${named.length} named stages)`);
  const user = /^USER\s+(\S+)/im.exec(last);
  check(
    !!user && !/^(root|0)(:|$)/.test(user[1]),
    `Dockerfile: runtime runs as non-root USER (${user ? user[1] : 'none'})`,
  );
  check(/^HEALTHCHECK\s/im.test(last), 'Dockerfile: HEALTHCHECK');
  check(/^EXPOSE\s+3000\b/im.test(last), 'Dockerfile: EXPOSE 3000');
  check(/NODE_ENV=production/.test(last), 'Dockerfile: NODE_ENV=production');
  check(/^ENTRYPOINT\s.*tini/im.test(last), 'Dockerfile: tini as PID 1 (SIGTERM reaches node)');
  const ignore = join(dockerDir, 'Dockerfile.dockerignore');
  check(
    existsSync(ignore) && /node_modules/.test(readFileSync(ignore, 'utf8')),
    'docker/Dockerfile.dockerignore excludes node_modules',
  );
}

async function main() {
  for (const step of [checkNginx, checkCompose, checkDockerfile]) {
    try {
      await step();
    } catch (err) {
      check(false, step.name, err.message);
    }
  }
  const failed = results.filter((s) => s === 'FAIL').length;
  console.log(failed ? `\n${failed} check(s) failed` : '\nall docker checks passed');
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
