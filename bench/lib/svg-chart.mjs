// A small hand-written SVG line chart (no dependencies): linear x, logarithmic y, one polyline
// per series with point markers, a legend and optional horizontal reference lines.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 1, 2, 5 x 10^k steps giving about `count` ticks up to `max`. */
function niceTicks(max, count = 6) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let v = 0; v <= max + step * 0.001 && ticks.length < 50; v += step)
    ticks.push(Math.round(v * 1e6) / 1e6);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

const fmt = (v) => (v >= 1000 ? `${v / 1000}k` : String(v));

/**
 * series: [{ name, color, dash?, points: [[x, y], ...] }]; y must be > 0 (log scale).
 * refLines: [{ y, label }].
 */
export function lineChart({
  title,
  xLabel,
  yLabel,
  series,
  refLines = [],
  width = 820,
  height = 500,
}) {
  const m = { left: 70, right: 230, top: 46, bottom: 56 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && y > 0);
  const xTicks = niceTicks(Math.max(1, ...all.map(([x]) => x)));
  const xMax = xTicks[xTicks.length - 1];
  const ys = [...all.map(([, y]) => y), ...refLines.map((r) => r.y)];
  const yLo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(...ys))));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(yLo * 10, ...ys)));
  const px = (x) => m.left + (x / xMax) * w;
  const py = (y) =>
    m.top + h - ((Math.log10(y) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * h;

  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${m.left}" y="24" font-size="15" font-weight="600">${esc(title)}</text>`);
  // Grid and axes.
  for (const t of xTicks) {
    out.push(`<line x1="${px(t)}" y1="${m.top}" x2="${px(t)}" y2="${m.top + h}" stroke="#eee"/>`);
    out.push(
      `<text x="${px(t)}" y="${m.top + h + 18}" text-anchor="middle" fill="#444">${fmt(t)}</text>`,
    );
  }
  for (let d = yLo; d <= yHi * 1.0001; d *= 10) {
    for (const k of [1, 2, 5]) {
      const y = d * k;
      if (y > yHi * 1.0001) break;
      out.push(
        `<line x1="${m.left}" y1="${py(y)}" x2="${m.left + w}" y2="${py(y)}" stroke="${k === 1 ? '#ddd' : '#f3f3f3'}"/>`,
      );
      if (k === 1 || h > 300)
        out.push(
          `<text x="${m.left - 8}" y="${py(y) + 4}" text-anchor="end" fill="#444">${y < 1 ? y.toFixed(1) : fmt(y)}</text>`,
        );
    }
  }
  out.push(
    `<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`,
  );
  out.push(
    `<text x="${m.left + w / 2}" y="${height - 14}" text-anchor="middle" fill="#222">${esc(xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(18 ${m.top + h / 2}) rotate(-90)" text-anchor="middle" fill="#222">${esc(yLabel)}</text>`,
  );
  for (const r of refLines) {
    out.push(
      `<line x1="${m.left}" y1="${py(r.y)}" x2="${m.left + w}" y2="${py(r.y)}" stroke="#888" stroke-dasharray="2 4"/>`,
    );
    out.push(
      `<text x="${m.left + w - 4}" y="${py(r.y) - 5}" text-anchor="end" fill="#666">${esc(r.label)}</text>`,
    );
  }
  // Series.
  series.forEach((s, i) => {
    const pts = s.points
      .filter(([x, y]) => Number.isFinite(x) && y > 0)
      .sort((a, b) => a[0] - b[0]);
    if (pts.length) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''} points="${pts.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const [x, y] of pts)
        out.push(
          `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.dash ? '#fff' : s.color}" stroke="${s.color}" stroke-width="1.5"/>`,
        );
    }
    const ly = m.top + 10 + i * 20;
    const lx = m.left + w + 16;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    out.push(`<text x="${lx + 32}" y="${ly + 4}" fill="#222">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
