// SVG chart primitives drawn by our own code (no library, no network): horizontal bar panels and a line chart.
import { escapeHtml as esc } from './escape.js';

export interface BarPanel {
  /** Panel heading, e.g. `Spend`. */
  title: string;
  /** Used in `data-series` so tests and styles can find the bars. */
  series: string;
  values: (number | null)[];
  format: (value: number) => string;
  /** Axis labels; round numbers read better without decimals. */
  tick: (value: number) => string;
  color: string;
  /** A dashed reference line, e.g. ROAS 1.0x = break-even. */
  reference?: { value: number; label: string };
}

export interface LineSeries {
  name: string;
  series: string;
  values: (number | null)[];
  color: string;
}

const r1 = (n: number): string => String(Math.round(n * 10) / 10);

/** About `count` round tick values (1, 2 or 5 x 10^k apart) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if ((ticks.at(-1) ?? max) < max) ticks.push(Number(((ticks.at(-1) ?? 0) + step).toPrecision(12)));
  return ticks;
}

/** The domain [0 or min, max] rounded out to ticks, so bars and lines start at zero. */
function domain(values: readonly (number | null)[], count: number): number[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(0, ...present);
  const hi = Math.max(0, ...present);
  return niceTicks(lo, hi > lo ? hi : lo + 1, count);
}

/** Horizontal bars, one panel per measure, categories as rows with their labels on the left. */
export function barPanels(id: string, label: string, categories: readonly string[], panels: readonly BarPanel[]): string {
  const labelWidth = 110;
  const gap = 28;
  const width = 560;
  // Few categories get thicker bars, so that the panel is not mostly white space.
  const row = categories.length <= 4 ? 44 : 30;
  const top = 40;
  const bottom = 26;
  const height = top + categories.length * row + bottom;
  const panelWidth = (width - labelWidth - gap * (panels.length - 1)) / panels.length;
  const out: string[] = [];
  categories.forEach((c, i) => {
    const y = top + i * row + row / 2;
    out.push(`<text class="cat" x="${labelWidth - 10}" y="${r1(y)}" text-anchor="end" dominant-baseline="middle">${esc(c)}</text>`);
  });
  panels.forEach((p, pi) => {
    const x0 = labelWidth + pi * (panelWidth + gap);
    const ticks = domain(p.values, 4);
    const lo = ticks[0] ?? 0;
    const hi = ticks.at(-1) ?? 1;
    const usable = panelWidth - 64;
    const sx = (v: number) => x0 + ((v - lo) / (hi - lo)) * usable;
    out.push(`<text class="panel-title" x="${r1(x0)}" y="14">${esc(p.title)}</text>`);
    for (const t of ticks) {
      const x = r1(sx(t));
      out.push(`<line class="grid" x1="${x}" x2="${x}" y1="${top - 6}" y2="${height - bottom}"/>`);
      out.push(`<text class="tick" x="${x}" y="${height - 8}" text-anchor="middle">${esc(p.tick(t))}</text>`);
    }
    p.values.forEach((v, i) => {
      const y = top + i * row + 6;
      const name = categories[i] ?? '';
      if (v === null || !Number.isFinite(v)) {
        out.push(`<text class="value" x="${r1(sx(0) + 4)}" y="${r1(y + (row - 12) / 2)}" dominant-baseline="middle">-</text>`);
        return;
      }
      const x = Math.min(sx(0), sx(v));
      const w = Math.max(1, Math.abs(sx(v) - sx(0)));
      out.push(
        `<rect class="bar" data-series="${esc(p.series)}" data-category="${esc(name)}" data-value="${v}" x="${r1(x)}" y="${r1(y)}"` +
          ` width="${r1(w)}" height="${row - 12}" rx="3" fill="${p.color}"><title>${esc(`${name}: ${p.format(v)}`)}</title></rect>`,
      );
      out.push(
        `<text class="value" x="${r1(x + w + 6)}" y="${r1(y + (row - 12) / 2)}" dominant-baseline="middle">${esc(p.format(v))}</text>`,
      );
    });
    if (p.reference && p.reference.value <= hi && p.reference.value >= lo) {
      const x = r1(sx(p.reference.value));
      out.push(`<line class="reference" x1="${x}" x2="${x}" y1="${top - 6}" y2="${height - bottom}"/>`);
      out.push(`<text class="reference-label" x="${x}" y="${top - 10}" text-anchor="middle">${esc(p.reference.label)}</text>`);
    }
  });
  return svg(id, label, width, height, out);
}

/** A line chart over dated points: one path and one circle per value; NULLs break the line. */
export function lineChart(
  id: string,
  label: string,
  dates: readonly string[],
  series: readonly LineSeries[],
  format: (v: number) => string,
  tick: (v: number) => string,
): string {
  const width = 1160;
  const height = 320;
  const m = { left: 64, right: 20, top: 36, bottom: 30 };
  const ticks = domain(
    series.flatMap((s) => s.values),
    5,
  );
  const lo = ticks[0] ?? 0;
  const hi = ticks.at(-1) ?? 1;
  const n = dates.length;
  const sx = (i: number) => m.left + (n <= 1 ? (width - m.left - m.right) / 2 : (i / (n - 1)) * (width - m.left - m.right));
  const sy = (v: number) => height - m.bottom - ((v - lo) / (hi - lo)) * (height - m.top - m.bottom);
  const out: string[] = [];
  for (const t of ticks) {
    const y = r1(sy(t));
    out.push(`<line class="grid" x1="${m.left}" x2="${width - m.right}" y1="${y}" y2="${y}"/>`);
    out.push(`<text class="tick" x="${m.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(tick(t))}</text>`);
  }
  const every = Math.max(1, Math.ceil(n / 7));
  for (let i = 0; i < n; i += every) {
    out.push(`<text class="tick" x="${r1(sx(i))}" y="${height - 10}" text-anchor="middle">${esc(dates[i] ?? '')}</text>`);
  }
  series.forEach((s, si) => {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${r1(sx(i))},${r1(sy(v))}`;
      pen = true;
    });
    out.push(`<path class="line" data-series="${esc(s.series)}" d="${d}" stroke="${s.color}"/>`);
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      out.push(
        `<circle class="point" data-series="${esc(s.series)}" cx="${r1(sx(i))}" cy="${r1(sy(v))}" r="2.5" fill="${s.color}">` +
          `<title>${esc(`${dates[i] ?? ''} ${s.name}: ${format(v)}`)}</title></circle>`,
      );
    });
    const lx = m.left + si * 130;
    out.push(`<rect x="${lx}" y="8" width="14" height="4" rx="2" fill="${s.color}"/>`);
    out.push(`<text class="legend" x="${lx + 20}" y="10" dominant-baseline="middle">${esc(s.name)}</text>`);
  });
  return svg(id, label, width, height, out);
}

function svg(id: string, label: string, width: number, height: number, body: readonly string[]): string {
  return (
    `<svg id="${esc(id)}" class="chart" role="img" aria-label="${esc(label)}" viewBox="0 0 ${width} ${height}"` +
    ` xmlns="http://www.w3.org/2000/svg">\n${body.join('\n')}\n</svg>`
  );
}
