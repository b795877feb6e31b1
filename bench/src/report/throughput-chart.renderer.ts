import type { ThroughputSeries } from './bench-results.model';

const WIDTH = 1080;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 360, top: 40, bottom: 50 };
const COLOURS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** A round step giving about `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
}

/** Centred moving average over `window` seconds (per-second counts from batch arrivals are spiky). */
function smooth(points: ThroughputSeries['points'], window = 3): ThroughputSeries['points'] {
  const half = Math.floor(window / 2);
  return points.map((p, i) => {
    const slice = points.slice(Math.max(0, i - half), i + half + 1);
    return { t: p.t, perSecond: slice.reduce((a, q) => a + q.perSecond, 0) / slice.length };
  });
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Throughput over time as a small SVG line chart: one polyline per series (records/s per second since
 * each scenario's clock start), axes with round ticks, a legend. Hand-written SVG, no dependencies.
 */
export function renderThroughputChart(series: readonly ThroughputSeries[], title: string): string {
  const visible = series
    .filter((s) => s.points.length > 0)
    .map((s) => ({ label: s.label, points: smooth(s.points) }));
  const maxT = Math.max(1, ...visible.flatMap((s) => s.points.map((p) => p.t)));
  const maxY = Math.max(1, ...visible.flatMap((s) => s.points.map((p) => p.perSecond)));
  const xStep = tickStep(maxT, 10);
  const yStep = tickStep(maxY, 6);
  const xMax = Math.ceil(maxT / xStep) * xStep;
  const yMax = Math.ceil((maxY * 1.05) / yStep) * yStep;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + (t / xMax) * plotW;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (let v = 0; v <= yMax; v += yStep) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    out.push(
      `<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toLocaleString('en-GB')}</text>`,
    );
  }
  for (let t = 0; t <= xMax; t += xStep) {
    out.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`,
    );
    out.push(`<text x="${x(t).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${t}</text>`);
  }
  out.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
  );
  out.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
  );
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">seconds since the scenario's clock started (3 s moving average)</text>`,
  );
  out.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">records per second</text>`,
  );
  visible.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const points = s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.perSecond).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.8" points="${points}"/>`);
    const ly = MARGIN.top + 10 + i * 20;
    const lx = MARGIN.left + plotW + 16;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  if (visible.length === 0)
    out.push(
      `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">no throughput samples in this run</text>`,
    );
  out.push('</svg>');
  return out.join('\n') + '\n';
}
