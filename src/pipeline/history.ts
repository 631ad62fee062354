// The run history in the state database: one row per run and one per task, written as the run goes.
import { type Engine, hasTable } from '../engine/duckdb.js';
import { messageOf } from '../errors.js';
import { redact } from '../redact.js';
import type { TaskResult } from './graph.js';

export type RunTrigger = 'manual' | 'schedule';
/**
 * `running` while it works; `stopped` when a stop request left tasks NotExecuted without any failing;
 * `abandoned` when a later run finds it still running (its process died).
 */
export type RunStatus = 'running' | 'success' | 'failed' | 'stopped' | 'abandoned';

export interface RunRecord {
  run_id: string;
  started_at: string;
  ended_at: string | null;
  status: RunStatus;
  trigger: RunTrigger;
  exit_code: number | null;
  run_date: string | null;
  date_from: string | null;
  date_to: string | null;
  host: string;
  pid: number;
  error: string | null;
}

export interface TaskRecord {
  run_id: string;
  task: string;
  status: string;
  attempts: number;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number;
  rows_in: number | null;
  rows_out: number | null;
  detail: string | null;
  error: string | null;
}

export interface SqlFileRecord {
  path: string;
  sha256: string;
}

/** Times are stored as UTC `timestamp` (no zone), so they read the same whatever the session's TimeZone. */
const utc = (d: Date): string => d.toISOString().replace('Z', '');

/** Creates the history tables when missing. */
export async function ensureHistoryTables(engine: Engine): Promise<void> {
  await engine.run(`
    create table if not exists etl_runs (
      run_id varchar primary key,
      started_at timestamp not null,
      ended_at timestamp,
      status varchar not null,
      trigger varchar not null,
      exit_code integer,
      run_date date,
      date_from date,
      date_to date,
      host varchar not null,
      pid integer not null,
      error varchar
    );
    create table if not exists etl_run_tasks (
      run_id varchar not null,
      seq integer not null,
      task varchar not null,
      status varchar not null,
      attempts integer not null,
      started_at timestamp,
      ended_at timestamp,
      duration_ms bigint not null,
      rows_in bigint,
      rows_out bigint,
      detail varchar,
      error varchar,
      primary key (run_id, task)
    );
  `);
}

export interface RunStart {
  runId: string;
  startedAt: Date;
  trigger: RunTrigger;
  runDate: string;
  from: string | null;
  to: string | null;
  host: string;
  pid: number;
}

/** Records a run as `running`; runs still `running` from before are marked `abandoned` (we hold the lock). */
export async function recordRunStart(engine: Engine, run: RunStart): Promise<void> {
  await ensureHistoryTables(engine);
  await engine.run(`update etl_runs set status = 'abandoned' where status = 'running'`);
  await engine.run(
    `insert into etl_runs (run_id, started_at, status, trigger, run_date, date_from, date_to, host, pid)
     values ($run_id, $started_at::timestamp, 'running', $trigger, $run_date::date, $from::date, $to::date, $host, $pid)`,
    {
      run_id: run.runId,
      started_at: utc(run.startedAt),
      trigger: run.trigger,
      run_date: run.runDate,
      from: run.from,
      to: run.to,
      host: run.host,
      pid: run.pid,
    },
  );
}

/** The error text kept in the history: one message, secrets removed. */
export function errorText(error: unknown): string | null {
  return error === undefined ? null : redact(messageOf(error));
}

/** Records (or replaces) one task's result; `seq` is its place in run order. */
export async function recordTask(engine: Engine, runId: string, seq: number, r: TaskResult): Promise<void> {
  await engine.run(
    `insert or replace into etl_run_tasks
     values ($run_id, $seq, $task, $status, $attempts, $started_at::timestamp, $ended_at::timestamp, $duration_ms,
             $rows_in, $rows_out, $detail, $error)`,
    {
      run_id: runId,
      seq,
      task: r.name,
      status: r.status,
      attempts: r.attempts,
      started_at: r.startedAt ? utc(r.startedAt) : null,
      ended_at: r.endedAt ? utc(r.endedAt) : null,
      duration_ms: r.durationMs,
      rows_in: r.rowsIn ?? null,
      rows_out: r.rowsOut ?? null,
      detail: r.detail ?? null,
      error: errorText(r.error),
    },
  );
}

/** Records how the run ended. */
export async function recordRunEnd(
  engine: Engine,
  runId: string,
  end: { endedAt: Date; status: RunStatus; exitCode: number; error?: unknown },
): Promise<void> {
  await engine.run(
    `update etl_runs set ended_at = $ended_at::timestamp, status = $status, exit_code = $exit_code, error = $error
     where run_id = $run_id`,
    { run_id: runId, ended_at: utc(end.endedAt), status: end.status, exit_code: end.exitCode, error: errorText(end.error) },
  );
}

const RUN_COLUMNS = `run_id, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at,
  strftime(ended_at, '%Y-%m-%dT%H:%M:%S.%gZ') as ended_at, status, trigger, exit_code,
  cast(run_date as varchar) as run_date, cast(date_from as varchar) as date_from, cast(date_to as varchar) as date_to,
  host, pid, error`;

/** The most recent runs, newest first. */
export async function listRuns(engine: Engine, limit: number): Promise<RunRecord[]> {
  if (!(await hasTable(engine, 'etl_runs'))) return [];
  return engine.all<RunRecord & Record<string, unknown>>(
    `select ${RUN_COLUMNS} from etl_runs order by started_at desc, run_id desc limit $limit`,
    { limit },
  );
}

export interface RunDetail extends RunRecord {
  tasks: TaskRecord[];
  /** The SQL files the run used, when the SQL runner recorded them (table etl_sql_files). */
  sql_files: SqlFileRecord[];
}

/** One run with its tasks in run order, or undefined. */
export async function getRun(engine: Engine, runId: string): Promise<RunDetail | undefined> {
  if (!(await hasTable(engine, 'etl_runs'))) return undefined;
  const [run] = await engine.all<RunRecord & Record<string, unknown>>(`select ${RUN_COLUMNS} from etl_runs where run_id = $id`, {
    id: runId,
  });
  if (!run) return undefined;
  const tasks = await engine.all<TaskRecord & Record<string, unknown>>(
    `select run_id, task, status, attempts, strftime(started_at, '%Y-%m-%dT%H:%M:%S.%gZ') as started_at,
       strftime(ended_at, '%Y-%m-%dT%H:%M:%S.%gZ') as ended_at, duration_ms, rows_in, rows_out, detail, error
     from etl_run_tasks where run_id = $id order by seq`,
    { id: runId },
  );
  const sqlFiles = (await hasTable(engine, 'etl_sql_files'))
    ? await engine.all<SqlFileRecord & Record<string, unknown>>('select path, sha256 from etl_sql_files where run_id = $id order by path', {
        id: runId,
      })
    : [];
  return { ...run, tasks, sql_files: sqlFiles };
}
