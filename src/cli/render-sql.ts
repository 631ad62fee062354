// Printing only: `sql list` as an aligned table and `sql check` as one `file:line: message` line per error.
import type { SqlCheckEntry, SqlListResult } from '../pipeline/sql-steps.js';

function pad(cells: string[][]): string {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length))) ?? [];
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** The files in run order with their short hash and status, then which run they were compared with. */
export function renderSqlList(result: SqlListResult): string {
  const rows = [['#', 'file', 'sha256', 'status']];
  for (const f of result.files) rows.push([f.order ? String(f.order) : '-', f.path, f.sha256.slice(0, 12), f.status]);
  const since = result.lastRunId ? `compared with run ${result.lastRunId}` : 'no run has recorded its SQL files yet';
  return `${pad(rows)}\n(${since})\n`;
}

/** One line per failing file; a summary line at the end. */
export function renderSqlCheck(results: readonly SqlCheckEntry[]): string {
  const failed = results.filter((r) => r.error !== undefined);
  const lines = failed.map((r) => r.error as string);
  lines.push(`${results.length - failed.length} of ${results.length} SQL files ok`);
  return `${lines.join('\n')}\n`;
}
