// The CLI as cron, systemd or a person runs it: run history, failing tasks, the lock, backfill and schedule.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/duckdb.js';
import type { RunDetail, RunRecord } from '../../src/pipeline/history.js';
import { runCli, SQL_DIR } from '../helpers/cli.js';
import { startCli } from '../helpers/spawn.js';
import { tempDir } from '../helpers/tmp.js';

const SMALL = ['--rows', '400', '--batch-rows', '200', '--from', '2026-01-01', '--to', '2026-01-05', '--seed', '11', '--sql-dir', SQL_DIR];

async function runs(cwd: string): Promise<RunRecord[]> {
  const r = await runCli(['runs', '--format', 'json'], { cwd });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RunRecord[];
}

async function show(cwd: string, id: string): Promise<RunDetail> {
  const r = await runCli(['runs', 'show', id, '--format', 'json'], { cwd });
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as RunDetail;
}

async function masterDates(state: string): Promise<{ n: number; days: string }> {
  const engine = await openEngine({ path: state });
  try {
    const rows = await engine.all<{ n: number; days: string }>(
      `select count(*) as n, string_agg(distinct cast(date as varchar), ',' order by cast(date as varchar)) as days from campaign_daily`,
    );
    return rows[0] as { n: number; days: string };
  } finally {
    engine.close();
  }
}

describe('run: task failures and history', () => {
  it('a task that always fails stops its dependants and exits 1; history and `runs` show it', async () => {
    const cwd = tempDir('e2e-fail');
    fs.writeFileSync(path.join(cwd, 'not-a-folder'), 'x');
    const r = await runCli(
      ['run', '--skip-generate', '--lake', 'not-a-folder', '--retries', '1', '--retry-delay', '50ms', '--sql-dir', SQL_DIR],
      {
        cwd,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: task ingest failed after 2 attempts: ENOTDIR/m);
    expect(r.stderr).toMatch(/WARN task ingest failed, retrying {2}attempt=1 retry_in_ms=50/);
    const [run] = await runs(cwd);
    expect(run).toMatchObject({ status: 'failed', exit_code: 1, trigger: 'manual' });
    const detail = await show(cwd, run?.run_id as string);
    expect(detail.tasks.map((t) => [t.task, t.status, t.attempts])).toEqual([
      ['ingest', 'Error', 2],
      ['transform', 'NotExecuted', 0],
      ['checks', 'NotExecuted', 0],
      ['publish', 'NotExecuted', 0],
      ['report', 'NotExecuted', 0],
    ]);
    expect(detail.tasks[0]?.error).toMatch(/ENOTDIR/);
    const table = await runCli(['runs', 'show', run?.run_id as string], { cwd });
    expect(table.stdout).toMatch(/ingest\s+│ Error\s+│\s+2 │/);
    expect(fs.existsSync(path.join(cwd, 'data/state/warehouse.duckdb.lock'))).toBe(false);
    const missing = await runCli(['runs', 'show', 'no-such-run'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/error: no run no-such-run in .*warehouse\.duckdb/);
  });

  it('a failed data-quality check is not retried, publishes nothing and exits 3; a bad SQL file name exits 2', async () => {
    const cwd = tempDir('e2e-check');
    const sqlDir = path.join(cwd, 'my-sql');
    fs.cpSync(SQL_DIR, sqlDir, { recursive: true });
    fs.writeFileSync(
      path.join(sqlDir, 'checks/900_no_rows_at_all.sql'),
      '-- Fails whenever the master has rows.\n-- severity: error\nselect campaign_id from campaign_daily\n',
    );
    const smallMine = [...SMALL.slice(0, -1), sqlDir];
    const r = await runCli(['run', ...smallMine, '--retries', '3', '--retry-delay', '10m'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /error: task checks failed after 1 attempt: data-quality check failed: checks\/900_no_rows_at_all\.sql \(400 rows\)/,
    );
    expect(fs.existsSync(path.join(cwd, 'data/output'))).toBe(false);
    const [run] = await runs(cwd);
    expect(run).toMatchObject({ status: 'failed', exit_code: 3 });
    const detail = await show(cwd, run?.run_id as string);
    expect(detail.tasks.map((t) => [t.task, t.status, t.attempts])).toEqual([
      ['generate', 'Success', 1],
      ['ingest', 'Success', 1],
      ['transform', 'Success', 1],
      ['checks', 'Error', 1],
      ['publish', 'NotExecuted', 0],
      ['report', 'NotExecuted', 0],
    ]);

    fs.writeFileSync(path.join(sqlDir, 'kpis/Bad-Name.sql'), 'select 1\n');
    const bad = await runCli(['run', '--skip-generate', '--sql-dir', sqlDir, '--retries', '3', '--retry-delay', '10m'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error: task transform failed after 1 attempt: kpis\/Bad-Name\.sql: file name must look like/);
  });

  it('exits 2 on a bad --retry-delay or --date, before any run starts', async () => {
    const cwd = tempDir('e2e-usage');
    const a = await runCli(['run', '--retry-delay', 'soon'], { cwd });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--retry-delay must be a duration/);
    const b = await runCli(['run', '--date', '2026-13-45'], { cwd });
    expect(b.code).toBe(2);
    expect(fs.existsSync(path.join(cwd, 'data'))).toBe(false);
  });

  it('documents the exit codes and the tasks in --help', async () => {
    const r = await runCli(['run', '--help'], { cwd: tempDir('e2e-help') });
    expect(r.stdout).toMatch(/0 success, 1 a task failed/);
    expect(r.stdout).toMatch(/3\s+a data-quality check failed/);
    expect(r.stdout).toContain('--retry-delay');
  });
});

describe('run: the lock', () => {
  it('a second run on the same state exits at once naming the holder; a killed holder does not block the next run', async () => {
    const cwd = tempDir('e2e-lock');
    fs.writeFileSync(path.join(cwd, 'not-a-folder'), 'x');
    // The holder fails its first attempt and then waits 60 s before retrying: it holds the lock meanwhile.
    const holder = startCli(['run', '--skip-generate', '--lake', 'not-a-folder', '--retry-delay', '60s', '--sql-dir', SQL_DIR], { cwd });
    await holder.waitFor(/retrying/);
    const second = await runCli(['run', ...SMALL], { cwd });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`another marketing-etl run holds the lock .*warehouse\\.duckdb\\.lock: pid ${holder.child.pid} on `),
    );
    expect(second.stderr).toContain('marketing-etl run --skip-generate --lake not-a-folder');
    expect(fs.existsSync(path.join(cwd, 'data/lake'))).toBe(false);

    holder.child.kill('SIGKILL');
    await holder.done;
    expect(fs.existsSync(path.join(cwd, 'data/state/warehouse.duckdb.lock'))).toBe(true);
    const next = await runCli(['run', ...SMALL], { cwd });
    expect(next.stderr).not.toMatch(/error/i);
    expect(next.code).toBe(0);
    const history = await runs(cwd);
    expect(history.map((r) => r.status)).toEqual(['success', 'abandoned']);
  });
});

describe('run: backfill', () => {
  it('--date processes that day only, and a rerun of the day duplicates nothing', async () => {
    const cwd = tempDir('e2e-backfill');
    const day = ['run', '--date', '2026-02-10', '--rows', '240', '--seed', '5', '--sql-dir', SQL_DIR];
    const first = await runCli(day, { cwd });
    expect(first.code).toBe(0);
    const state = path.join(cwd, 'data/state/warehouse.duckdb');
    expect(await masterDates(state)).toEqual({ n: 240, days: '2026-02-10' });
    const again = await runCli(day, { cwd });
    expect(again.code).toBe(0);
    expect(await masterDates(state)).toEqual({ n: 240, days: '2026-02-10' });
    const range = await runCli(
      ['run', '--from', '2026-02-11', '--to', '2026-02-12', '--rows', '160', '--seed', '5', '--sql-dir', SQL_DIR],
      {
        cwd,
      },
    );
    expect(range.code).toBe(0);
    expect(await masterDates(state)).toEqual({ n: 400, days: '2026-02-10,2026-02-11,2026-02-12' });
    const history = await runs(cwd);
    expect(history.map((r) => [r.date_from, r.date_to, r.run_date, r.status])).toEqual([
      ['2026-02-11', '2026-02-12', '2026-02-12', 'success'],
      ['2026-02-10', '2026-02-10', '2026-02-10', 'success'],
      ['2026-02-10', '2026-02-10', '2026-02-10', 'success'],
    ]);
  });
});

describe('schedule', () => {
  it('runs the pipeline at each tick and stops cleanly with exit 0 on SIGTERM', async () => {
    const cwd = tempDir('e2e-schedule');
    const gen = await runCli(['generate', ...SMALL.slice(0, -2)], { cwd });
    expect(gen.code).toBe(0);
    const sched = startCli(
      ['schedule', '--cron', '* * * * * *', '--tz', 'America/Bogota', '--skip-generate', '--retry-delay', '100ms', '--sql-dir', SQL_DIR],
      {
        cwd,
      },
    );
    await sched.waitFor(/schedule started {2}cron="\* \* \* \* \* \*" tz=America\/Bogota next_run=\S+Z local="[^"]+ America\/Bogota"/);
    await sched.waitFor(/run done/);
    await sched.waitFor(/next run {2}at=/);
    sched.child.kill('SIGTERM');
    const result = await sched.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/SIGTERM: no new runs will start/);
    expect(result.stderr).toMatch(/schedule stopped\n$/);
    expect(result.stderr).not.toMatch(/ERROR/);
    const history = await runs(cwd);
    expect(history.length).toBeGreaterThanOrEqual(1);
    for (const run of history) expect(run).toMatchObject({ trigger: 'schedule', status: 'success', exit_code: 0 });
    const first = await show(cwd, history[history.length - 1]?.run_id as string);
    expect(first.tasks.map((t) => t.task)).toEqual(['ingest', 'transform', 'checks', 'publish', 'report']);
    expect(first.tasks.find((t) => t.task === 'transform')?.rows_out).toBe(400);
    expect(fs.existsSync(path.join(cwd, 'data/state/warehouse.duckdb.lock'))).toBe(false);
  });

  it('on SIGTERM during a run, lets that run finish (its retry included), then exits 0', async () => {
    const cwd = tempDir('e2e-schedule-finish');
    fs.writeFileSync(path.join(cwd, 'not-a-folder'), 'x');
    const args = ['schedule', '--cron', '* * * * * *', '--tz', 'UTC', '--skip-generate', '--lake', 'not-a-folder', '--sql-dir', SQL_DIR];
    const sched = startCli([...args, '--retry-delay', '3s'], { cwd });
    await sched.waitFor(/retrying/);
    sched.child.kill('SIGTERM');
    const result = await sched.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/SIGTERM: no new runs will start; waiting for the current run to finish/);
    expect(result.stderr).toMatch(/scheduled run failed|task ingest failed after 2 attempts/);
    const history = await runs(cwd);
    expect(history).toHaveLength(1);
    const run = await show(cwd, history[0]?.run_id as string);
    expect(run).toMatchObject({ status: 'failed', exit_code: 1, trigger: 'schedule' });
    expect(run.tasks[0]).toMatchObject({ task: 'ingest', status: 'Error', attempts: 2 });
  });

  it('a second signal stops the current run before its next attempt', async () => {
    const cwd = tempDir('e2e-schedule-abort');
    fs.writeFileSync(path.join(cwd, 'not-a-folder'), 'x');
    const args = ['schedule', '--cron', '* * * * * *', '--tz', 'UTC', '--skip-generate', '--lake', 'not-a-folder', '--sql-dir', SQL_DIR];
    const sched = startCli([...args, '--retry-delay', '10m'], { cwd });
    await sched.waitFor(/retrying/);
    sched.child.kill('SIGINT');
    await sched.waitFor(/SIGINT: no new runs will start/);
    sched.child.kill('SIGTERM');
    const result = await sched.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/SIGTERM again: stopping the current run after its current task/);
    const [run] = await runs(cwd);
    const detail = await show(cwd, run?.run_id as string);
    expect(detail.status).toBe('failed');
    expect(detail.tasks.map((t) => [t.task, t.status, t.attempts])).toEqual([
      ['ingest', 'Error', 1],
      ['transform', 'NotExecuted', 0],
      ['checks', 'NotExecuted', 0],
      ['publish', 'NotExecuted', 0],
      ['report', 'NotExecuted', 0],
    ]);
  });

  it('skips a tick while another process holds the lock, without opening the state', async () => {
    const cwd = tempDir('e2e-schedule-locked');
    const lockFile = path.join(cwd, 'data/state/warehouse.duckdb.lock');
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    // This test process is alive, so its pid makes a lock that must not be taken over.
    const holder = { pid: process.pid, host: os.hostname(), startedAt: '2026-01-01T02:00:00.000Z', command: 'marketing-etl run (test)' };
    fs.writeFileSync(lockFile, JSON.stringify(holder));
    const sched = startCli(['schedule', '--cron', '* * * * * *', '--tz', 'UTC', '--skip-generate', '--sql-dir', SQL_DIR], { cwd });
    await sched.waitFor(new RegExp(`holds the lock .*: pid ${process.pid} on .*\\(marketing-etl run \\(test\\)\\); skipping this tick`));
    expect(await runs(cwd)).toEqual([]);
    expect(fs.existsSync(path.join(cwd, 'data/state/warehouse.duckdb'))).toBe(false);
    sched.child.kill('SIGTERM');
    const result = await sched.done;
    expect(result.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toEqual(holder);
  });

  it('rejects a bad cron expression or time zone with exit 2', async () => {
    const cwd = tempDir('e2e-schedule-bad');
    const a = await runCli(['schedule', '--cron', 'every night'], { cwd });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/not a valid cron expression/);
    const b = await runCli(['schedule', '--tz', 'Mars/Olympus'], { cwd });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/unknown time zone/);
  });
});
