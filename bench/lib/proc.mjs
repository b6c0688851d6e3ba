// Readings from /proc: the server's resident memory and CPU time, and the machine's CPU, so a
// report can say whether the API, PostgreSQL or the load generator was the one out of CPU.
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // 100 is the Linux default
}

/** VmRSS (and VmHWM, the peak) of a process in KiB, or null when it is gone. */
export function memoryKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null;
  }
}

/** User + system CPU seconds a process has used so far (its threads included). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return NaN;
  }
}

/** CPU seconds per pid of every process whose command is `name` (e.g. redis-server). */
export function cpuSecondsByName(name) {
  const out = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== name) continue;
      out.set(entry, cpuSeconds(entry) || 0);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * CPU used between two per-pid readings. Processes that exited in between are left out (their
 * time cannot be read any more), so this under-counts short-lived processes, never goes negative.
 */
function deltaSeconds(before, after) {
  let total = 0;
  for (const [pid, t] of after) total += Math.max(0, t - (before.get(pid) ?? 0));
  return total;
}

const readPids = (pids) => new Map(pids.map((pid) => [String(pid), cpuSeconds(pid) || 0]));

/** Machine-wide busy and total jiffies, to turn two readings into a busy percentage. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Starts a CPU meter; `stop()` returns the CPU used in the interval as % of one core for each
 * watched pid (or pid list) and process name, and the machine's busy % (100 = all cores busy).
 */
export function cpuMeter({ pids = {}, names = [] } = {}) {
  const t0 = process.hrtime.bigint();
  const m0 = machineCpu();
  const lists = Object.fromEntries(
    Object.entries(pids).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
  );
  const p0 = Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, readPids(v)]));
  const n0 = Object.fromEntries(names.map((n) => [n, cpuSecondsByName(n)]));
  return {
    stop() {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const m1 = machineCpu();
      const out = { machineBusyPct: pct((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) };
      // The CPU seconds as well, unrounded: divided by a message count they give CPU per message.
      const seconds = { wall };
      for (const [k, v] of Object.entries(lists)) {
        seconds[k] = deltaSeconds(p0[k], readPids(v));
        out[`${k}CpuPct`] = pct(seconds[k] / wall);
      }
      for (const n of names) {
        seconds[n] = deltaSeconds(n0[n], cpuSecondsByName(n));
        out[`${n}CpuPct`] = pct(seconds[n] / wall);
      }
      out.seconds = seconds;
      return out;
    },
  };
}

/** The machine's busy % over `ms` with nothing of ours running: the background load. */
export async function backgroundLoad(ms = 2000) {
  const m0 = machineCpu();
  await new Promise((r) => setTimeout(r, ms));
  const m1 = machineCpu();
  return pct((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total));
}

const pct = (x) => (Number.isFinite(x) ? Math.round(x * 1000) / 10 : null);

/** The pid and every descendant (a cluster primary and its workers), for CPU accounting. */
export function processTree(rootPid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(entry);
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const queue = [String(rootPid)];
  // Bounded by the number of processes on the machine.
  while (queue.length && out.length < 10_000) {
    const pid = queue.shift();
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}
