// The parent side of the load generator: forks a few client-worker processes (so sending,
// receiving and JSON work for thousands of sockets is not one event loop's bottleneck), deals
// the users out among them, and merges what they report.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./client-worker.mjs', import.meta.url));

export class ClientCluster {
  static async start(count) {
    const cluster = new ClientCluster();
    for (let i = 0; i < count; i++) {
      const child = fork(WORKER, [], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (msg) => cluster.onMessage(i, msg));
      child.on('exit', (code) => {
        for (const [id, p] of cluster.pending) {
          if (p.worker === i) {
            cluster.pending.delete(id);
            p.reject(new Error(`load worker ${i} exited (${code})`));
          }
        }
      });
      cluster.workers.push(child);
    }
    return cluster;
  }

  workers = [];
  pending = new Map();
  nextId = 1;

  onMessage(worker, msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.chunk) {
      (p.chunks[msg.chunk] ??= []).push(msg.entries);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.error) p.reject(new Error(`load worker ${worker}: ${msg.error}`));
    else p.resolve({ ...msg.result, chunks: p.chunks });
  }

  request(worker, body, timeoutMs = 600_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`load worker ${worker}: no answer to ${body.type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        worker,
        chunks: {},
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.workers[worker].send({ id, ...body });
    });
  }

  all(body, timeoutMs) {
    return Promise.all(
      this.workers.map((_, i) =>
        this.request(i, typeof body === 'function' ? body(i) : body, timeoutMs),
      ),
    );
  }

  /** Users are dealt round-robin; each worker connects its share. */
  async setup({ users, ...opts }) {
    const shares = this.workers.map(() => []);
    users.forEach((u, i) => shares[i % shares.length].push(u));
    const results = await this.all((i) => ({
      type: 'setup',
      workerIndex: i,
      users: shares[i],
      ...opts,
    }));
    const errors = {};
    for (const r of results)
      for (const [k, n] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + n;
    return {
      connected: results.reduce((a, r) => a + r.connected, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      errors,
    };
  }

  /** Every worker sends rate/N msg/s; resolves when the sending window is over. */
  async step({ rate, ...opts }) {
    const share = rate / this.workers.length;
    return this.all({ type: 'step', rate: share, ...opts }, opts.durationMs + 120_000);
  }

  async progress(step) {
    const rs = await this.all({ type: 'progress', step }, 30_000);
    const sum = (k) => rs.reduce((a, r) => a + r[k], 0);
    return Object.fromEntries(Object.keys(rs[0]).map((k) => [k, sum(k)]));
  }

  async stepReport(step) {
    return this.all({ type: 'stepReport', step }, 120_000);
  }

  /** Every acked clientId with its expected recipients, and how many recipients got each. */
  async final() {
    const rs = await this.all({ type: 'final' }, 300_000);
    const acked = new Map();
    const received = new Map();
    for (const r of rs) {
      for (const chunk of r.chunks.acked ?? []) for (const [k, v] of chunk) acked.set(k, v);
      for (const chunk of r.chunks.received ?? [])
        for (const [k, v] of chunk) received.set(k, (received.get(k) ?? 0) + v);
    }
    return {
      acked,
      received,
      unexpectedDisconnects: rs.reduce((a, r) => a + r.unexpectedDisconnects, 0),
    };
  }

  async close() {
    await this.all({ type: 'close' }, 30_000).catch(() => undefined); // a dead worker is killed below
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise((res) => {
            if (w.exitCode !== null) return res();
            const timer = setTimeout(() => w.kill('SIGKILL'), 5000);
            w.once('exit', () => (clearTimeout(timer), res()));
          }),
      ),
    );
  }
}
