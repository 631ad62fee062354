// How a KPI column is shown, decided by its name: money, percentage, ratio, count, seconds or text.

export type ColumnKind = 'money' | 'percent' | 'ratio' | 'count' | 'seconds' | 'number' | 'text';

const PERCENT = /^(ctr|cvr|roi)$|_(rate|pct|share|ctr|cvr|roi)$/;
const MONEY = /^(cost|revenue|spend|cpc|cpm|cpa|budget|daily_budget)$|_(cost|revenue|spend|cpc|cpm|cpa|budget)$/;
const RATIO = /^roas$|_roas$/;
const COUNT = /^(impressions|clicks|conversions|rows|campaigns|days)$|_(impressions|clicks|conversions|count|rows)$|^n_/;
const SECONDS = /_(seconds|view_time)$/;

/** The display kind of a column, by naming convention (documented in sql/README.md). */
export function kindOf(column: string, sample: unknown): ColumnKind {
  const name = column.toLowerCase();
  if (PERCENT.test(name)) return 'percent';
  if (MONEY.test(name)) return 'money';
  if (RATIO.test(name)) return 'ratio';
  if (COUNT.test(name)) return 'count';
  if (SECONDS.test(name)) return 'seconds';
  if (typeof sample === 'number' || typeof sample === 'bigint') return 'number';
  return 'text';
}

/** Whether a kind is shown right-aligned, as a number. */
export const isNumeric = (kind: ColumnKind): boolean => kind !== 'text';

const ACRONYMS: Record<string, string> = {
  ctr: 'CTR',
  cpc: 'CPC',
  cpm: 'CPM',
  cvr: 'CVR',
  cpa: 'CPA',
  roas: 'ROAS',
  roi: 'ROI',
  id: 'ID',
};
const LABELS: Record<string, string> = { position: '#', avg_video_view_time: 'Avg view time' };

/** A column heading for people: `avg_video_view_time` -> `Avg view time`, `cpa` -> `CPA`. */
export function labelOf(column: string): string {
  const known = LABELS[column.toLowerCase()];
  if (known) return known;
  const words = column.split('_').filter(Boolean);
  const label = words.map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase()).join(' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

const fmt = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const MONEY_FMT = fmt(2);
const COUNT_FMT = fmt(0);
const NUMBER_FMT = fmt(2);
const SECONDS_FMT = fmt(1);

/** A date as `YYYY-MM-DD` when it falls on midnight UTC (a DuckDB DATE), else a full ISO timestamp. */
export function dateText(value: Date): string {
  const iso = value.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** Formats one cell; NULL shows as `-`. Ratios stored as fractions show as percentages. */
export function formatCell(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return dateText(value);
  if (typeof value === 'bigint') return kind === 'text' ? value.toString() : COUNT_FMT.format(value);
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return '-';
  switch (kind) {
    case 'money':
      return MONEY_FMT.format(value);
    case 'percent':
      return `${NUMBER_FMT.format(value * 100)}%`;
    case 'ratio':
      return `${NUMBER_FMT.format(value)}x`;
    case 'count':
      return COUNT_FMT.format(value);
    case 'seconds':
      return `${SECONDS_FMT.format(value)} s`;
    case 'number':
      return Number.isInteger(value) ? COUNT_FMT.format(value) : NUMBER_FMT.format(value);
    default:
      return String(value);
  }
}
