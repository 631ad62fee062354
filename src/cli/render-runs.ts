// Printing only: the run history as console tables or JSON.
import Table from 'cli-table3';
import type { RunDetail, RunRecord } from '../pipeline/history.js';

const dash = (v: unknown): string => (v === null || v === undefined || v === '' ? '-' : String(v));
const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const shortTime = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

function duration(run: RunRecord): string {
  if (!run.ended_at) return '-';
  return seconds(Date.parse(run.ended_at) - Date.parse(run.started_at));
}

/** The recent runs, newest first. */
export function renderRuns(runs: readonly RunRecord[]): string {
  if (runs.length === 0) return 'No runs recorded yet.\n';
  const table = new Table({
    head: ['run id', 'started (UTC)', 'seconds', 'status', 'exit', 'trigger', 'run date', 'error'],
    colAligns: ['left', 'left', 'right', 'left', 'right', 'left', 'left', 'left'],
    style: { head: [], border: [] },
  });
  for (const r of runs) {
    const error = r.error ? (r.error.length > 60 ? `${r.error.slice(0, 57)}...` : r.error) : '-';
    table.push([r.run_id, shortTime(r.started_at), duration(r), r.status, dash(r.exit_code), r.trigger, dash(r.run_date), error]);
  }
  return `${table.toString()}\n`;
}

/** One run: a header, its tasks in run order, and the SQL files it used when they were recorded. */
export function renderRun(run: RunDetail): string {
  const lines = [
    `run ${run.run_id}: ${run.status}${run.exit_code === null ? '' : ` (exit ${run.exit_code})`}, ${run.trigger}`,
    `started ${shortTime(run.started_at)}, ended ${shortTime(run.ended_at)}, ${duration(run)} s, on ${run.host} pid ${run.pid}`,
    `days ${dash(run.date_from)}..${dash(run.date_to)}, run date ${dash(run.run_date)}`,
  ];
  if (run.error) lines.push(`error: ${run.error}`);
  const table = new Table({
    head: ['task', 'status', 'attempts', 'seconds', 'rows in', 'rows out', 'detail / error'],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [] },
  });
  const n = (v: number | null): string => (v === null ? '-' : v.toLocaleString('en-US'));
  for (const t of run.tasks) {
    table.push([t.task, t.status, String(t.attempts), seconds(t.duration_ms), n(t.rows_in), n(t.rows_out), t.error ?? dash(t.detail)]);
  }
  let out = `${lines.join('\n')}\n${table.toString()}\n`;
  if (run.sql_files.length > 0) {
    out += `SQL files:\n${run.sql_files.map((f) => `  ${f.sha256.slice(0, 12)}  ${f.path}`).join('\n')}\n`;
  }
  return out;
}
