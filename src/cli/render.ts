// Printing only: KPI tables with cli-table3 and one-line summaries.
import Table from 'cli-table3';
import { type ColumnKind, formatCell, kindOf } from '../report/format.js';
import type { KpiTable } from '../report/kpis.js';

export interface RenderOptions {
  /** Colour headings (only on a TTY without NO_COLOR). */
  color: boolean;
}

function heading(text: string, color: boolean): string {
  return color ? `\u001b[1m${text}\u001b[22m` : text;
}

/** One KPI as a console table: right-aligned numbers, thousands separators, `-` for NULL. */
export function renderKpiTable(kpi: KpiTable, options: RenderOptions): string {
  const kinds: ColumnKind[] = kpi.columns.map((c) => kindOf(c, kpi.rows.find((r) => r[c] != null)?.[c]));
  const table = new Table({
    head: kpi.columns,
    colAligns: kinds.map((k) => (k === 'text' ? 'left' : 'right')),
    style: { head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [] },
  });
  for (const row of kpi.rows) table.push(kpi.columns.map((c, i) => formatCell(row[c], kinds[i] as ColumnKind)));
  return `${heading(kpi.title, options.color)}\n${table.toString()}\n`;
}

/** All KPI tables, separated by a blank line. */
export function renderKpiTables(kpis: readonly KpiTable[], options: RenderOptions): string {
  return kpis.map((k) => renderKpiTable(k, options)).join('\n');
}

/** Whether stdout may use colour. */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}
