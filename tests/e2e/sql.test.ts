// Analysts' view of sql/: a new KPI file appears with no code change, broken SQL names its file and line,
// `sql list` / `sql check` work, an error check stops publishing, and a killed transform leaves no trace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEngine, sqlString } from '../../src/engine/duckdb.js';
import { CLI, runCli, SQL_DIR } from '../helpers/cli.js';
import { readCsvTree } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

const gen = (seed = 11, to = '2026-01-31'): string[] => [
  '--batch-rows',
  '1000',
  '--from',
  '2026-01-01',
  '--to',
  to,
  '--seed',
  String(seed),
];

function copySql(dir: string): string {
  const target = path.join(dir, 'my-sql');
  fs.cpSync(SQL_DIR, target, { recursive: true });
  return target;
}

async function query<T extends Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  const engine = await openEngine({ path: db });
  try {
    return await engine.all<T>(sql);
  } finally {
    engine.close();
  }
}

const FINGERPRINT = `select count(*) as n, sum(hash(campaign_id, campaign_name, date, platform, target_audience, impressions,
  clicks, cost, conversions, revenue, video_view_time, raw_file))::varchar as h from campaign_daily`;

describe('an analyst edits a copy of sql/', () => {
  it('adds a KPI file and sees it in report and in Parquet, and sql list marks it new', async () => {
    const cwd = tempDir('e2e-kpi');
    const sqlDir = copySql(cwd);
    fs.writeFileSync(
      path.join(sqlDir, 'kpis/900_campaign_count.sql'),
      '-- Campaigns per platform\n-- Grain: one row per platform.\nselect platform, count(distinct campaign_id) as campaign_count\nfrom campaign_daily\ngroup by platform\norder by platform\n',
    );
    const before = await runCli(['sql', 'list', '--sql-dir', sqlDir], { cwd });
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/kpis\/900_campaign_count\.sql\s+[0-9a-f]{12}\s+never run/);
    const run = await runCli(['run', '--rows', '2000', ...gen(), '--sql-dir', sqlDir], { cwd });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const expected = new Map<string, Set<string>>();
    for (const r of readCsvTree(path.join(cwd, 'data/lake/raw/ads'))) {
      expected.set(r.platform as string, (expected.get(r.platform as string) ?? new Set()).add(r.campaign_id as string));
    }
    const parquet = path.join(cwd, 'data/output/marts/campaign_count.parquet');
    const rows = await query(':memory:', `select * from read_parquet(${sqlString(parquet)}) order by platform`);
    expect(rows).toEqual([...expected.keys()].sort().map((p) => ({ platform: p, campaign_count: expected.get(p)?.size })));
    const report = await runCli(['report', '--sql-dir', sqlDir], { cwd });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('Campaigns per platform');
    const after = await runCli(['sql', 'list', '--sql-dir', sqlDir], { cwd });
    expect(after.stdout).toMatch(/kpis\/900_campaign_count\.sql\s+[0-9a-f]{12}\s+unchanged/);
    fs.appendFileSync(path.join(sqlDir, 'kpis/900_campaign_count.sql'), '-- edited\n');
    const edited = await runCli(['sql', 'list', '--sql-dir', sqlDir], { cwd });
    expect(edited.stdout).toMatch(/kpis\/900_campaign_count\.sql\s+[0-9a-f]{12}\s+changed/);
    expect(edited.stdout).toMatch(/models\/030_campaign_daily\.sql\s+[0-9a-f]{12}\s+unchanged/);
  });

  it('gets file:line for a broken model from transform and from sql check, and nothing changes', async () => {
    const cwd = tempDir('e2e-broken');
    const sqlDir = copySql(cwd);
    expect((await runCli(['run', '--rows', '1000', ...gen(), '--sql-dir', sqlDir], { cwd })).code).toBe(0);
    const state = path.join(cwd, 'data/state/warehouse.duckdb');
    const before = await query(state, FINGERPRINT);
    const model = path.join(sqlDir, 'models/030_campaign_daily.sql');
    const lines = fs.readFileSync(model, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('from clean_ads'));
    lines[at] = lines[at]?.replace('from clean_ads', 'from clean_adz') as string;
    fs.writeFileSync(model, lines.join('\n'));
    const check = await runCli(['sql', 'check', '--sql-dir', sqlDir], { cwd });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`models/030_campaign_daily.sql:${at + 1}: Catalog Error`);
    expect(check.stdout).toMatch(/\d+ of \d+ SQL files ok/);
    expect(await query(state, FINGERPRINT)).toEqual(before);
    expect(await query(state, "select table_name from duckdb_tables() where table_name like 'raw%'")).toEqual([]);
    const generate = await runCli(['generate', '--rows', '1000', ...gen(12, '2026-02-28')], { cwd });
    expect(generate.code).toBe(0);
    const transform = await runCli(['transform', '--sql-dir', sqlDir], { cwd });
    expect(transform.code).toBe(1);
    expect(transform.stderr).toContain(`error: models/030_campaign_daily.sql:${at + 1}: Catalog Error`);
    expect(await query(state, FINGERPRINT)).toEqual(before);
    expect(await query(state, 'select count(*) as n from etl_manifest')).toEqual([{ n: 1 }]);
  });

  it('stops with exit code 3 and publishes nothing when an error check finds rows', async () => {
    const cwd = tempDir('e2e-check');
    const sqlDir = copySql(cwd);
    fs.writeFileSync(
      path.join(sqlDir, 'checks/070_no_google.sql'),
      "-- severity: error\n-- No Google rows (a test rule).\nselect * from campaign_daily where platform = 'Google Ads'\n",
    );
    const r = await runCli(['run', '--rows', '1000', ...gen(), '--sql-dir', sqlDir], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('checks/070_no_google.sql');
    expect(fs.existsSync(path.join(cwd, 'data/output/marts'))).toBe(false);
    expect(fs.existsSync(path.join(cwd, 'data/lake/curated'))).toBe(false);
  });
});

describe('a transform killed mid-run', () => {
  it('leaves the state as before, and the next run gives the same master as an uninterrupted one', async () => {
    const cwd = tempDir('e2e-kill');
    const plain = tempDir('e2e-nokill');
    // A copy of sql/ with a last model that never ends: the kill lands after every real model ran, before commit.
    const slowSql = copySql(cwd);
    fs.writeFileSync(
      path.join(slowSql, 'models/900_slow.sql'),
      '-- Test only: keeps the transaction open.\ncreate temp table slow as select count(*) from range(1000000000000);\n',
    );
    // Two identical histories: run r1 loaded, run r2 generated (it re-sends many r1 keys with new values).
    await Promise.all(
      [cwd, plain].map(async (dir) => {
        expect((await runCli(['generate', '--rows', '4000', ...gen(), '--run-id', 'r1'], { cwd: dir })).code).toBe(0);
        expect((await runCli(['transform', '--sql-dir', SQL_DIR], { cwd: dir })).code).toBe(0);
        expect((await runCli(['generate', '--rows', '6000', ...gen(12, '2026-02-28'), '--run-id', 'r2'], { cwd: dir })).code).toBe(0);
      }),
    );
    const state = path.join(cwd, 'data/state/warehouse.duckdb');
    const afterFirst = await query(state, FINGERPRINT);
    const killed = await new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'transform', '--sql-dir', slowSql, '--log-level', 'debug'], {
        cwd,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('models/900_slow.sql')) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve({ signal, stderr }));
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).toContain('models/030_campaign_daily.sql');
    expect(await query(state, FINGERPRINT)).toEqual(afterFirst);
    expect(await query(state, "select count(*) as n from etl_manifest where key like '%run=r2%'")).toEqual([{ n: 0 }]);
    for (const dir of [cwd, plain]) expect((await runCli(['transform', '--sql-dir', SQL_DIR], { cwd: dir })).code).toBe(0);
    const resumed = await query(state, FINGERPRINT);
    expect(resumed).toEqual(await query(path.join(plain, 'data/state/warehouse.duckdb'), FINGERPRINT));
    expect(resumed[0]?.n).toBeGreaterThan(afterFirst[0]?.n as number);
  });
});
