// The HTML report: one self-contained page (inline CSS and SVG, no script, no network) with cards, charts and tables.
import { escapeHtml as esc } from './escape.js';
import { type ColumnKind, dateText, formatCell, isNumeric, labelOf } from './format.js';
import { REPORT_CSS } from './html-style.js';
import type { KpiTable } from './kpis.js';
import { barPanels, lineChart } from './svg.js';

/** Everything the page may load: nothing but its own inline styles and data: images. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const COLORS = { spend: '#4c6ef5', revenue: '#12b886', roas: '#f59f00', view: '#7950f2' };

const byName = (kpis: readonly KpiTable[], name: string): KpiTable | undefined => kpis.find((k) => k.name === name);
const has = (kpi: KpiTable | undefined, ...columns: string[]): kpi is KpiTable => !!kpi && columns.every((c) => kpi.columns.includes(c));
const numbers = (kpi: KpiTable, column: string): (number | null)[] =>
  kpi.rows.map((r) => (typeof r[column] === 'number' || typeof r[column] === 'bigint' ? Number(r[column]) : null));
const texts = (kpi: KpiTable, column: string): string[] => kpi.rows.map((r) => formatCell(r[column], 'text'));

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
const axis =
  (suffix = '') =>
  (v: number) =>
    `${compact.format(v)}${suffix}`;
const short = (kind: ColumnKind) => (v: number) => (Math.abs(v) >= 10_000 && kind !== 'percent' ? compact.format(v) : formatCell(v, kind));

interface Card {
  column: string;
  label: string;
  note: string;
  /** Colour the value by sign (green above, red below) around this threshold. */
  pivot?: number;
}

const CARDS: Card[] = [
  { column: 'cost', label: 'Spend', note: 'total cost' },
  { column: 'revenue', label: 'Revenue', note: 'attributed revenue' },
  { column: 'roas', label: 'ROAS', note: 'revenue / spend', pivot: 1 },
  { column: 'roi', label: 'ROI', note: '(revenue - spend) / spend', pivot: 0 },
  { column: 'conversions', label: 'Conversions', note: 'total' },
  { column: 'cpa', label: 'CPA', note: 'spend per conversion' },
  { column: 'ctr', label: 'CTR', note: 'clicks / impressions' },
  { column: 'impressions', label: 'Impressions', note: 'total' },
];

function cards(overview: KpiTable | undefined): string {
  const row = overview?.rows[0];
  if (!overview || !row) return '';
  const shown = CARDS.filter((c) => overview.columns.includes(c.column)).map((c) => {
    const kind = overview.kinds[overview.columns.indexOf(c.column)] ?? 'number';
    const value = row[c.column];
    const n = typeof value === 'number' ? value : null;
    const tone = c.pivot === undefined || n === null ? '' : n >= c.pivot ? ' good' : ' bad';
    const exact = formatCell(value, kind);
    const big = n === null ? exact : short(kind)(n);
    return `<div class="card"><div class="card-label">${esc(c.label)}</div><div class="card-value${tone}" title="${esc(exact)}">${esc(big)}</div><div class="card-note">${esc(c.note)}</div></div>`;
  });
  return shown.length ? `<section class="cards">\n${shown.join('\n')}\n</section>` : '';
}

function figure(id: string, title: string, note: string, chart: string): string {
  return `<figure class="panel" id="${id}"><figcaption><h2>${esc(title)}</h2><p>${esc(note)}</p></figcaption>\n${chart}\n</figure>`;
}

function charts(kpis: readonly KpiTable[]): string {
  const out: string[] = [];
  const platform = byName(kpis, 'platform_performance');
  if (has(platform, 'platform', 'cost', 'roas')) {
    const chart = barPanels('chart-platform', 'Spend and ROAS per platform', texts(platform, 'platform'), [
      { title: 'Spend', series: 'spend', values: numbers(platform, 'cost'), format: short('money'), tick: axis(), color: COLORS.spend },
      {
        title: 'ROAS',
        series: 'roas',
        values: numbers(platform, 'roas'),
        format: (v) => formatCell(v, 'ratio'),
        tick: axis('x'),
        color: COLORS.roas,
        reference: { value: 1, label: 'break-even' },
      },
    ]);
    out.push(figure('figure-platform', 'Spend and ROAS per platform', 'Where the money goes and what each unit of spend returns.', chart));
  }
  const audience = byName(kpis, 'audience_view_time');
  if (has(audience, 'target_audience', 'avg_video_view_time')) {
    const chart = barPanels('chart-audience', 'Average video view time per audience', texts(audience, 'target_audience'), [
      {
        title: 'Average video view time',
        series: 'view_time',
        values: numbers(audience, 'avg_video_view_time'),
        format: (v) => formatCell(v, 'seconds'),
        tick: axis(' s'),
        color: COLORS.view,
      },
    ]);
    out.push(figure('figure-audience', 'Video view time per audience', 'Average seconds watched, longest first.', chart));
  }
  const trend = byName(kpis, 'daily_trend');
  if (has(trend, 'date', 'cost', 'revenue')) {
    const chart = lineChart(
      'chart-trend',
      'Daily spend and revenue',
      trend.rows.map((r) => (r.date instanceof Date ? dateText(r.date) : String(r.date ?? ''))),
      [
        { name: 'Spend', series: 'spend', values: numbers(trend, 'cost'), color: COLORS.spend },
        { name: 'Revenue', series: 'revenue', values: numbers(trend, 'revenue'), color: COLORS.revenue },
      ],
      short('money'),
      axis(),
    );
    out.push(figure('figure-trend', 'Daily spend and revenue', 'All platforms, one point per day.', chart));
  }
  return out.length ? `<section class="charts">\n${out.join('\n')}\n</section>` : '';
}

/** A one-row KPI (the overview) reads better as label / value pairs than as one very wide row. */
function pairs(kpi: KpiTable): string {
  const row = kpi.rows[0] ?? {};
  const lines = kpi.columns.map((c, i) => {
    const kind = kpi.kinds[i] ?? 'text';
    const v = row[c];
    const cls = typeof v === 'number' && v < 0 ? 'num neg' : 'num';
    return `<tr><th class="txt" scope="row" title="${esc(c)}">${esc(labelOf(c))}</th><td class="${cls}">${esc(formatCell(v, kind))}</td></tr>`;
  });
  const half = lines.length > 8 ? Math.ceil(lines.length / 2) : lines.length;
  const groups = [lines.slice(0, half), lines.slice(half)].filter((g) => g.length > 0);
  return groups.map((g) => `<table class="pairs">\n<tbody>\n${g.join('\n')}\n</tbody>\n</table>`).join('\n');
}

function table(kpi: KpiTable): string {
  if (kpi.rows.length === 1) return section(kpi, pairs(kpi), 'table-wrap pairs-wrap');
  const head = kpi.columns.map(
    (c, i) => `<th class="${isNumeric(kpi.kinds[i] ?? 'text') ? 'num' : 'txt'}" title="${esc(c)}">${esc(labelOf(c))}</th>`,
  );
  const rows = kpi.rows.map((r) => {
    const cells = kpi.columns.map((c, i) => {
      const kind = kpi.kinds[i] ?? 'text';
      const v = r[c];
      const cls = isNumeric(kind) ? (typeof v === 'number' && v < 0 ? 'num neg' : 'num') : 'txt';
      return `<td class="${cls}">${esc(formatCell(v, kind))}</td>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const body = rows.length ? rows.join('\n') : `<tr><td colspan="${kpi.columns.length}">no rows</td></tr>`;
  return section(kpi, `<table>\n<thead><tr>${head.join('')}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`);
}

function section(kpi: KpiTable, tableHtml: string, wrapClass = 'table-wrap'): string {
  const rows = `${kpi.rows.length} ${kpi.rows.length === 1 ? 'row' : 'rows'}`;
  return (
    `<section class="panel kpi" id="kpi-${esc(kpi.name)}"><h2>${esc(kpi.title)}</h2><p class="source">${esc(kpi.file)} · ${rows}</p>\n` +
    `<div class="${wrapClass}">${tableHtml}</div></section>`
  );
}

function period(overview: KpiTable | undefined): string {
  const row = overview?.rows[0];
  if (!row || !(row.first_date instanceof Date) || !(row.last_date instanceof Date)) return '';
  const parts = [`${dateText(row.first_date)} to ${dateText(row.last_date)}`];
  if (typeof row.days === 'number') parts.push(`${formatCell(row.days, 'count')} days`);
  if (typeof row.campaigns === 'number') parts.push(`${formatCell(row.campaigns, 'count')} campaigns`);
  return parts.join(' · ');
}

/** The whole page. `generatedAt` is shown in UTC. */
export function toHtml(kpis: readonly KpiTable[], generatedAt: Date): string {
  const overview = byName(kpis, 'overview');
  const when = `${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const sub = [period(overview), `generated ${when}`].filter(Boolean).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="marketing-etl">
<title>Marketing performance report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><h1>Marketing performance</h1><p class="sub">${esc(sub)}</p></header>
<main>
${cards(overview)}
${charts(kpis)}
<section class="tables">
${kpis.map(table).join('\n')}
</section>
</main>
<footer>Every value comes from the KPI Parquet files published by the run, computed by the SQL in <code>sql/kpis/</code>. CTR, CVR and ROI are shown as percentages.</footer>
</body>
</html>
`;
}
