// Exact percentiles over raw samples. A step produces at most a few hundred thousand samples,
// so sorting them is cheaper and more honest than a bucketed histogram.

/** Sorts a copy (Float64Array sorts numerically, unlike Array#sort). */
export function sorted(samples) {
  const arr = Float64Array.from(samples);
  arr.sort();
  return arr;
}

/** Nearest-rank percentile of an already sorted array; NaN when empty. */
export function percentile(sortedArr, p) {
  if (sortedArr.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sortedArr.length);
  return sortedArr[Math.min(sortedArr.length - 1, Math.max(0, rank - 1))];
}

/** count, p50, p95, p99, max and mean in one pass over the sorted samples. */
export function summarize(samples) {
  const s = sorted(samples);
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s[i];
  return {
    count: s.length,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1] : NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

/** Rounds for reports: ms with 2 decimals below 10, 1 decimal below 100, integers above. */
export function round(x) {
  if (!Number.isFinite(x)) return null;
  if (Math.abs(x) < 10) return Math.round(x * 100) / 100;
  if (Math.abs(x) < 100) return Math.round(x * 10) / 10;
  return Math.round(x);
}

/** Concatenates sample arrays coming from several workers. */
export function concat(arrays) {
  let n = 0;
  for (const a of arrays) n += a.length;
  const out = new Float64Array(n);
  let i = 0;
  for (const a of arrays) {
    out.set(a, i);
    i += a.length;
  }
  return out;
}
