// Command-line flags of `npm run bench` and the defaults of the full and quick modes.

/** The bench parts, in the order they run. */
export const PARTS = ['throughput', 'idle', 'history', 'search', 'login', 'bigroup', 'scaleout'];
/** What runs without --only: scaleout needs nginx, so it is asked for by name. */
export const DEFAULT_PARTS = PARTS.filter((p) => p !== 'scaleout');

export const USAGE = `npm run bench -- [flags]      (or: node --import ./libs/test-kit/register.mjs bench/run.mjs [flags])

  --quick                    smaller and shorter (about 3 minutes); the default is the full run (about 15-20)
  --only=a,b                 parts to run: throughput, idle, history, search, login, bigroup, scaleout
                             (default: all but scaleout)
  --targets=a,b              throughput targets: product, relay, relay-pg (default: all)
  --steps=500,1000,...       offered msg/s per step (stepping stops at saturation)
  --step-seconds=N           length of each step (full 10, quick 5)
  --users=N                  sockets in the throughput test, one user each (default 1000)
  --workers=N                load-generator processes (default 4)
  --idle=5000,20000          idle socket counts (quick: 2000)
  --history-rows=N           rows bulk-loaded for the history test (full 10000000, quick 1000000)
  --history-requests=N       history pages timed (full 3000, quick 1000)
  --search-rows=N            rows bulk-loaded for the search test (full 10000000, quick 1000000)
  --search-requests=N        searches timed per kind of term (full 500, quick 200)
  --drop-indexes=a,b         drop these messages indexes before the throughput test (what an index costs the send path)
  --login-cost=12            bcrypt cost(s) for the login rate, comma separated
  --bigroup-members=N        members of the large group, sockets split over two instances (full 5000, quick 1000)
  --bigroup-rate=N           msg/s sent to it (default 20)
  --bigroup-seconds=N        how long (full 30, quick 10)
  --scaleout-instances=1,2   scaleout: the throughput load through nginx (docker/nginx.conf, sticky /socket.io)
                             in front of 1, then 2 API instances on the same database and Redis; reports
                             CPU-µs per message of each instance, nginx, PostgreSQL and Redis (needs nginx:
                             apt-get install -y nginx). Uses --steps, --step-seconds, --users, --workers.
                             N+M: N instances behind nginx and M more on the Redis adapter with no socket
                             (what receiving every broadcast costs an instance), e.g. 1,1+1,2
  --source-addresses=N       scaleout: loopback source addresses the sockets come from, 127.0.0.2.. (default 64),
                             which nginx's sticky hash spreads over the instances
  --api-entry=main|cluster   the built entry to run for the throughput test (default main: one process)
  --profile                  CPU-profile the API over the measured throughput steps and summarise it
  --env=KEY=VALUE            extra environment for the API (repeatable)
  --log-level=warn           API LOG_LEVEL during the run
  --write-docs / --no-docs   write the figures into docs/performance.md and the chart (default: full yes, quick no)
  --build                    build api and web first (done anyway when there is no build)
  --from=X.json[,Y.json]     only re-render the tables, docs/performance.md and the chart from earlier runs
                             (several files: each part from the last file that has it)
  --keep                     keep the bench database and Redis keys (for inspection)
`;

const num = (v) => Number(v);
const list = (v) =>
  String(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function parseOptions(argv) {
  const flags = {};
  const env = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg}\n\n${USAGE}`);
    const [, key, value] = m;
    if (key === 'env') {
      const eq = value?.indexOf('=') ?? -1;
      if (eq <= 0) throw new Error('--env wants KEY=VALUE');
      env[value.slice(0, eq)] = value.slice(eq + 1);
    } else flags[key] = value ?? true;
  }
  if (flags.help) return { help: true };
  const quick = Boolean(flags.quick);
  const known = [
    'quick',
    'only',
    'targets',
    'steps',
    'step-seconds',
    'users',
    'workers',
    'idle',
    'history-rows',
    'history-requests',
    'search-rows',
    'search-requests',
    'drop-indexes',
    'login-cost',
    'log-level',
    'write-docs',
    'no-docs',
    'build',
    'keep',
    'groups',
    'group-size',
    'group-share',
    'content-size',
    'drain-seconds',
    'half-max-refs',
    'api-entry',
    'profile',
    'bigroup-members',
    'bigroup-rate',
    'bigroup-seconds',
    'scaleout-instances',
    'source-addresses',
  ];
  for (const k of Object.keys(flags))
    if (!known.includes(k)) throw new Error(`unknown flag --${k}\n\n${USAGE}`);

  const opts = {
    quick,
    only: flags.only ? list(flags.only) : DEFAULT_PARTS,
    targets: flags.targets ? list(flags.targets) : ['product', 'relay', 'relay-pg'],
    steps: flags.steps
      ? list(flags.steps).map(num)
      : quick
        ? [500, 1000, 2000, 4000, 8000]
        : [250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 10000, 12000, 14000, 16000],
    stepSeconds: num(flags['step-seconds'] ?? (quick ? 5 : 10)),
    warmupSeconds: quick ? 2 : 4,
    drainSeconds: num(flags['drain-seconds'] ?? (quick ? 20 : 40)),
    users: num(flags.users ?? 1000),
    groups: num(flags.groups ?? 20),
    groupSize: num(flags['group-size'] ?? 10),
    // Share of a group member's sends that go to the group (the rest go to their direct chat).
    groupShare: num(flags['group-share'] ?? 0.25),
    contentSize: num(flags['content-size'] ?? 64),
    workers: num(flags.workers ?? 4),
    halfMax: true,
    halfMaxRefs: Boolean(flags['half-max-refs']),
    idle: flags.idle ? list(flags.idle).map(num) : quick ? [2000] : [5000, 20000],
    historyRows: num(flags['history-rows'] ?? (quick ? 1_000_000 : 10_000_000)),
    historyRequests: num(flags['history-requests'] ?? (quick ? 1000 : 3000)),
    searchRows: num(flags['search-rows'] ?? (quick ? 1_000_000 : 10_000_000)),
    searchRequests: num(flags['search-requests'] ?? (quick ? 200 : 500)),
    dropIndexes: flags['drop-indexes'] ? list(flags['drop-indexes']) : [],
    loginCosts: list(flags['login-cost'] ?? '12').map(num),
    loginSeconds: quick ? 5 : 10,
    bigroupMembers: num(flags['bigroup-members'] ?? (quick ? 1000 : 5000)),
    bigroupRate: num(flags['bigroup-rate'] ?? 20),
    bigroupSeconds: num(flags['bigroup-seconds'] ?? (quick ? 10 : 30)),
    // `N` = N instances behind nginx; `N+M` = and M more on the Redis adapter holding no socket.
    scaleoutInstances: list(flags['scaleout-instances'] ?? '1,2').map((spec) => {
      const m = /^(\d+)(?:\+(\d+))?$/.exec(spec);
      if (!m) throw new Error(`--scaleout-instances: ${spec} is not N or N+M`);
      const behind = Number(m[1]);
      const listening = Number(m[2] ?? 0);
      return { name: listening ? `${behind}x+${listening}` : `${behind}x`, behind, listening };
    }),
    sourceAddresses: num(flags['source-addresses'] ?? 64),
    logLevel: flags['log-level'] ?? 'warn',
    writeDocs: flags['no-docs'] ? false : flags['write-docs'] ? true : !quick,
    build: Boolean(flags.build),
    keep: Boolean(flags.keep),
    profile: Boolean(flags.profile),
    env,
  };
  opts.apiEntry = flags['api-entry'] ?? 'main';
  if (!['main', 'cluster'].includes(opts.apiEntry))
    throw new Error('--api-entry is main or cluster');
  for (const part of opts.only) if (!PARTS.includes(part)) throw new Error(`unknown part ${part}`);
  const totals = opts.scaleoutInstances.map((c) => c.behind + c.listening);
  if (
    !opts.scaleoutInstances.every((c) => c.behind >= 1) ||
    !totals.every((n, i) => i === 0 || n >= totals[i - 1]) ||
    new Set(opts.scaleoutInstances.map((c) => c.name)).size !== totals.length
  )
    throw new Error(
      '--scaleout-instances: distinct configurations whose instance totals do not fall, e.g. 1,1+1,2',
    );
  for (const t of opts.targets)
    if (!['product', 'relay', 'relay-pg'].includes(t)) throw new Error(`unknown target ${t}`);
  return opts;
}
