// Run history against a real DuckDB state: the graph's results as written by recordTask, and a whole pipeline run.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { withEngine } from '../../src/engine/duckdb.js';
import { createLogger } from '../../src/log.js';
import { runGraph, type Task } from '../../src/pipeline/graph.js';
import { getRun, listRuns, recordRunEnd, recordRunStart, recordTask } from '../../src/pipeline/history.js';
import { lockFileFor } from '../../src/pipeline/lock.js';
import { runError, runPipeline } from '../../src/pipeline/run.js';
import { SQL_DIR } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger({ level: 'silent', format: 'pretty' });

describe('run history', () => {
  it('records what the graph did: attempts, rows, redacted errors, NotExecuted tasks, in run order', async () => {
    const state = path.join(tempDir('history'), 'warehouse.duckdb');
    await withEngine({ path: state }, async (engine) => {
      const runId = 'r1';
      await recordRunStart(engine, {
        runId,
        startedAt: new Date('2026-03-01T02:00:00Z'),
        trigger: 'schedule',
        runDate: '2026-02-28',
        from: '2026-02-28',
        to: '2026-02-28',
        host: 'h',
        pid: 1,
      });
      let flaky = 0;
      const tasks: Task[] = [
        {
          name: 'load',
          dependsOn: [],
          run: async () => {
            flaky++;
            if (flaky === 1) throw new Error('timeout');
            return { rowsIn: 10, rowsOut: 8, detail: 'two quarantined' };
          },
        },
        {
          name: 'upload',
          dependsOn: ['load'],
          run: async () => {
            throw new Error('denied: aws_secret_access_key=abcdefgh1234 rejected');
          },
        },
        { name: 'report', dependsOn: ['upload'], run: async () => undefined },
      ];
      const graph = await runGraph(tasks, {
        retry: { retries: 1, delayMs: 1 },
        log,
        onTaskEnd: (r, seq) => recordTask(engine, runId, seq, r),
      });
      await recordRunEnd(engine, runId, {
        endedAt: new Date('2026-03-01T02:00:03Z'),
        status: 'failed',
        exitCode: 1,
        error: graph.failed?.error,
      });
      const run = await getRun(engine, runId);
      expect(run).toMatchObject({
        run_id: 'r1',
        status: 'failed',
        trigger: 'schedule',
        exit_code: 1,
        started_at: '2026-03-01T02:00:00.000Z',
        ended_at: '2026-03-01T02:00:03.000Z',
        run_date: '2026-02-28',
      });
      expect(run?.error).toBe('denied: aws_secret_access_key=*** rejected');
      expect(run?.tasks.map((t) => [t.task, t.status, t.attempts, t.rows_in, t.rows_out, t.detail])).toEqual([
        ['load', 'Success', 2, 10, 8, 'two quarantined'],
        ['upload', 'Error', 2, null, null, null],
        ['report', 'NotExecuted', 0, null, null, null],
      ]);
      expect(run?.tasks[1]?.error).not.toContain('abcdefgh1234');
      expect(await listRuns(engine, 10)).toHaveLength(1);
    });
  });

  it('runPipeline on data already in the lake writes a history that matches the run, and releases the lock', async () => {
    const dir = tempDir('pipeline');
    const config = resolveConfig({
      lake: path.join(dir, 'lake'),
      state: path.join(dir, 'state/warehouse.duckdb'),
      outputDir: path.join(dir, 'out'),
      sqlDir: SQL_DIR,
    });
    const base = { trigger: 'manual' as const, runDate: '2026-01-02', from: '2026-01-01', to: '2026-01-02', fullRefresh: false };
    const retry = { retries: 0, delayMs: 1 };
    const first = await runPipeline(
      config,
      {
        ...base,
        runId: 'gen-1',
        command: 'test',
        retry,
        generate: { rows: 160, batchRows: 100, from: '2026-01-01', to: '2026-01-02', seed: 3, runId: 'gen-1' },
      },
      log,
    );
    expect(first.ok).toBe(true);
    expect(first.kpis.length).toBeGreaterThan(0);
    const second = await runPipeline(config, { ...base, runId: 'nightly-1', command: 'test', retry }, log);
    expect(second.results.map((r) => r.name)).toEqual(['ingest', 'transform', 'checks', 'publish', 'report']);
    expect(fs.existsSync(lockFileFor(config.state))).toBe(false);
    await withEngine({ path: config.state }, async (engine) => {
      const runs = await listRuns(engine, 5);
      expect(runs.map((r) => [r.run_id, r.status, r.exit_code])).toEqual([
        ['nightly-1', 'success', 0],
        ['gen-1', 'success', 0],
      ]);
      const gen = await getRun(engine, 'gen-1');
      expect(gen?.tasks.map((t) => [t.task, t.status, t.attempts])).toEqual(
        ['generate', 'ingest', 'transform', 'checks', 'publish', 'report'].map((t) => [t, 'Success', 1]),
      );
      expect(gen?.tasks.find((t) => t.task === 'generate')?.rows_out).toBe(160);
      expect(gen?.tasks.find((t) => t.task === 'transform')).toMatchObject({ rows_in: 160, rows_out: 160 });
      const nightly = await getRun(engine, 'nightly-1');
      expect(nightly?.tasks.find((t) => t.task === 'transform')).toMatchObject({ rows_in: 0, rows_out: 160, detail: '0 files loaded' });
    });
  });

  it('a broken SQL file fails transform after its retries; the error names the file and the task', async () => {
    const dir = tempDir('broken');
    const sqlDir = path.join(dir, 'sql');
    fs.cpSync(SQL_DIR, sqlDir, { recursive: true });
    fs.appendFileSync(path.join(sqlDir, 'models/030_campaign_daily.sql'), '\nselect * from no_such_table;\n');
    const config = resolveConfig({
      lake: path.join(dir, 'lake'),
      state: path.join(dir, 'warehouse.duckdb'),
      outputDir: path.join(dir, 'out'),
      sqlDir,
    });
    const result = await runPipeline(
      config,
      {
        runId: 'broken-1',
        trigger: 'manual',
        runDate: '2026-01-01',
        from: '2026-01-01',
        to: '2026-01-01',
        fullRefresh: false,
        command: 'test',
        retry: { retries: 1, delayMs: 1 },
        generate: { rows: 16, batchRows: 100, from: '2026-01-01', to: '2026-01-01', seed: 1, runId: 'broken-1' },
      },
      log,
    );
    expect(result.ok).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.results.map((r) => [r.name, r.status, r.attempts])).toEqual([
      ['generate', 'Success', 1],
      ['ingest', 'Success', 1],
      ['transform', 'Error', 2],
      ['checks', 'NotExecuted', 0],
      ['publish', 'NotExecuted', 0],
      ['report', 'NotExecuted', 0],
    ]);
    expect(runError(result).message).toMatch(
      /^task transform failed after 2 attempts: models\/030_campaign_daily\.sql:\d+: .*no_such_table/,
    );
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
