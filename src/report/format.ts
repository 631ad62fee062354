// How a KPI column is shown, decided by its name: money, percentage, ratio, count or text.

export type ColumnKind = 'money' | 'percent' | 'ratio' | 'count' | 'number' | 'text';

const PERCENT = /^(ctr|cvr|roi)$|_(rate|pct|share|ctr|cvr|roi)$/;
const MONEY = /^(cost|revenue|spend|cpc|cpm|cpa|budget|daily_budget)$|_(cost|revenue|spend|cpc|cpm|cpa|budget)$/;
const RATIO = /^roas$|_roas$/;
const COUNT = /^(impressions|clicks|conversions|rows|campaigns|days)$|_(impressions|clicks|conversions|count|rows)$|^n_/;

/** The display kind of a column, by naming convention (documented in sql/README.md). */
export function kindOf(column: string, sample: unknown): ColumnKind {
  const name = column.toLowerCase();
  if (PERCENT.test(name)) return 'percent';
  if (MONEY.test(name)) return 'money';
  if (RATIO.test(name)) return 'ratio';
  if (COUNT.test(name)) return 'count';
  if (typeof sample === 'number' || typeof sample === 'bigint') return 'number';
  return 'text';
}

const fmt = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const MONEY_FMT = fmt(2);
const COUNT_FMT = fmt(0);
const NUMBER_FMT = fmt(2);

/** Formats one cell; NULL shows as `-`. Ratios stored as fractions show as percentages. */
export function formatCell(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
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
    case 'number':
      return Number.isInteger(value) ? COUNT_FMT.format(value) : NUMBER_FMT.format(value);
    default:
      return String(value);
  }
}
