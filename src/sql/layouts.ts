// The raw CSV layouts the transform knows, told apart by their header line; pure, no I/O.
import { CSV_COLUMNS } from '../generate/csv.js';

/** One known raw file layout: its header columns, in file order. Every column is read as text. */
export interface RawLayout {
  /** Short name; the transform exposes the layout's rows to SQL as the view `raw_input_<name>`. */
  readonly name: string;
  readonly description: string;
  readonly columns: readonly string[];
}

/** The generator's layout (see README "Data") and the replaced system's `marketing_data_*.csv` files. */
export const RAW_LAYOUTS: readonly RawLayout[] = [
  {
    name: 'ads',
    description: 'the generator layout',
    columns: CSV_COLUMNS,
  },
  {
    name: 'legacy',
    description: "the replaced system's layout",
    columns: [
      'campaign_id',
      'date',
      'platform',
      'target_audience',
      'impressions',
      'ctr',
      'clicks',
      'cpc',
      'costo_total',
      'video_view_time',
    ],
  },
];

/** The column names of a header line: BOM, line end, quotes and spaces removed, lower case. */
export function parseHeader(line: string): string[] {
  return line
    .replace(/^\uFEFF/, '')
    .replace(/\r?\n?$/, '')
    .split(',')
    .map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim()
        .toLowerCase(),
    );
}

export type LayoutMatch = { layout: RawLayout } | { layout: undefined; difference: string };

/** The layout whose columns equal `columns` (same names, same order), or the difference to the closest one. */
export function matchLayout(columns: readonly string[], layouts: readonly RawLayout[] = RAW_LAYOUTS): LayoutMatch {
  const exact = layouts.find((l) => l.columns.length === columns.length && l.columns.every((c, i) => c === columns[i]));
  if (exact) return { layout: exact };
  // Not one known column name: the file has no header line at all (its first line is data, or it is not a CSV).
  if (!columns.some((c) => layouts.some((l) => l.columns.includes(c)))) {
    return {
      layout: undefined,
      difference: `no header line (the first line has none of the known column names: "${columns.join(',').slice(0, 80)}")`,
    };
  }
  const scored = layouts.map((l) => ({
    layout: l,
    missing: l.columns.filter((c) => !columns.includes(c)),
    extra: columns.filter((c) => !l.columns.includes(c)),
  }));
  scored.sort((a, b) => a.missing.length + a.extra.length - (b.missing.length + b.extra.length));
  const best = scored[0];
  if (!best) return { layout: undefined, difference: 'no layouts are defined' };
  const parts: string[] = [];
  if (best.missing.length) parts.push(`missing ${best.missing.join(', ')}`);
  if (best.extra.length) parts.push(`unexpected ${best.extra.join(', ')}`);
  if (!parts.length) parts.push(`columns out of order (expected ${best.layout.columns.join(',')})`);
  return { layout: undefined, difference: `closest to ${best.layout.description} (${best.layout.name}): ${parts.join('; ')}` };
}
