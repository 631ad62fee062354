// One KPI as RFC 4180 CSV, with text cells guarded against spreadsheet formula injection.
import { dateText } from './format.js';
import type { KpiTable } from './kpis.js';

/** A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell. Only text is guarded: a text cell that starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
 * Numbers are written as plain numbers (a negative number stays `-12.5`), NULL as an empty cell, dates as `YYYY-MM-DD`.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  let text = value instanceof Date ? dateText(value) : String(value);
  if (!(value instanceof Date) && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The KPI as CSV: a header of column names, one line per row, CRLF line ends; values as in the Parquet (ratios are fractions). */
export function toCsv(kpi: KpiTable): string {
  const lines = [kpi.columns.map(csvCell), ...kpi.rows.map((r) => kpi.columns.map((c) => csvCell(r[c])))];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
