// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package,
// to say where the API's CPU goes under load. Usage: node bench/lib/profile-summary.mjs FILE [N]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Which package (or "api", "node", "(gc)"...) a frame belongs to. */
function owner(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  if (url.includes('/dist/apps/api/')) return 'api';
  return url.split('/').slice(-2).join('/');
}

export function summarizeProfile(file, top = 25) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // timeDeltas[i] is the time before sample i; attribute it to the sampled node.
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i];
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnTime = new Map();
  const pkgTime = new Map();
  for (const [id, us] of self) {
    const n = byId.get(id);
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/') : ''}:${lineNumber + 1}`;
    fnTime.set(key, (fnTime.get(key) ?? 0) + us);
    const o = owner(url, functionName);
    pkgTime.set(o, (pkgTime.get(o) ?? 0) + us);
  }
  const pct = (us) => Math.round((us / total) * 1000) / 10;
  const sortTop = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ what: k, pct: pct(us) }));
  return {
    totalSeconds: Math.round(total / 1e4) / 100,
    byPackage: sortTop(pkgTime),
    byFunction: sortTop(fnTime),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25));
  console.log(`sampled ${s.totalSeconds} s\n\nself time by package:`);
  for (const r of s.byPackage) console.log(`${String(r.pct).padStart(6)}%  ${r.what}`);
  console.log('\nself time by function:');
  for (const r of s.byFunction) console.log(`${String(r.pct).padStart(6)}%  ${r.what}`);
}
