// The CLI as a user runs it: `run` on a small dataset; every KPI value is checked against sums of the CSV files.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEngine, sqlString } from '../../src/engine/duckdb.js';
import { type CliResult, runCli, SQL_DIR } from '../helpers/cli.js';
import { readCsvTree } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

interface Sums {
  impressions: number;
  clicks: number;
  cost: number;
  conversions: number;
  revenue: number;
  views: number[];
}

const empty = (): Sums => ({ impressions: 0, clicks: 0, cost: 0, conversions: 0, revenue: 0, views: [] });

function sumBy(rows: Record<string, string>[], key: string): Map<string, Sums> {
  const out = new Map<string, Sums>();
  for (const r of rows) {
    const k = r[key] as string;
    const s = out.get(k) ?? empty();
    s.impressions += Number(r.impressions);
    s.clicks += Number(r.clicks);
    s.cost += Math.round(Number(r.cost) * 100);
    s.conversions += Number(r.conversions);
    s.revenue += Math.round(Number(r.revenue) * 100);
    s.views.push(Number(r.video_view_time));
    out.set(k, s);
  }
  return out;
}

/** The published master: one Parquet file per date. */
const MASTER_GLOB = 'data/output/curated/campaign_daily/date=*/campaign_daily.parquet';

async function readParquet(file: string): Promise<Record<string, unknown>[]> {
  const engine = await openEngine({ path: ':memory:' });
  try {
    return await engine.all(`select * from read_parquet(${sqlString(file)})`);
  } finally {
    engine.close();
  }
}

describe('marketing-etl run (local lake)', () => {
  let cwd: string;
  let result: CliResult;
  let rows: Record<string, string>[];

  beforeAll(async () => {
    cwd = tempDir('e2e-run');
    result = await runCli(
      ['run', '--rows', '3000', '--batch-rows', '1000', '--from', '2026-01-01', '--to', '2026-01-31', '--seed', '7', '--sql-dir', SQL_DIR],
      {
        cwd,
      },
    );
    rows = readCsvTree(path.join(cwd, 'data/lake/raw/ads'));
  });

  it('exits 0 and writes three CSV batches of 1,000 rows', () => {
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(rows).toHaveLength(3000);
    const runs = fs.readdirSync(path.join(cwd, 'data/lake/raw/ads'));
    expect(runs).toHaveLength(1);
    expect(fs.readdirSync(path.join(cwd, 'data/lake/raw/ads', runs[0] as string)).sort()).toEqual([
      '_manifest.json',
      'part-00001.csv',
      'part-00002.csv',
      'part-00003.csv',
    ]);
  });

  it('never has more clicks than impressions in the raw data', () => {
    for (const r of rows) expect(Number(r.clicks)).toBeLessThanOrEqual(Number(r.impressions));
  });

  it('publishes per-platform KPIs equal to sums computed from the CSV files', async () => {
    const expected = sumBy(rows, 'platform');
    const kpi = await readParquet(path.join(cwd, 'data/output/marts/platform_performance.parquet'));
    expect(kpi.map((k) => k.platform).sort()).toEqual([...expected.keys()].sort());
    for (const k of kpi) {
      const e = expected.get(k.platform as string) as Sums;
      expect(k.impressions).toBe(e.impressions);
      expect(k.clicks).toBe(e.clicks);
      expect(Math.round((k.cost as number) * 100)).toBe(e.cost);
      expect(Math.round((k.revenue as number) * 100)).toBe(e.revenue);
      expect(k.conversions).toBe(e.conversions);
      expect(k.ctr as number).toBeCloseTo(e.clicks / e.impressions, 10);
      expect(k.cpc as number).toBeCloseTo(e.cost / 100 / e.clicks, 8);
      expect(k.cpm as number).toBeCloseTo((1000 * e.cost) / 100 / e.impressions, 8);
      expect(k.roas as number).toBeCloseTo(e.revenue / e.cost, 8);
    }
    const costs = kpi.map((k) => k.cost as number);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  it('publishes the average view time per audience, longest first', async () => {
    const expected = sumBy(rows, 'target_audience');
    const kpi = await readParquet(path.join(cwd, 'data/output/marts/audience_view_time.parquet'));
    expect(kpi).toHaveLength(8);
    for (const k of kpi) {
      const views = (expected.get(k.target_audience as string) as Sums).views;
      expect(k.avg_video_view_time as number).toBeCloseTo(views.reduce((a, b) => a + b, 0) / views.length, 8);
    }
    const avgs = kpi.map((k) => k.avg_video_view_time as number);
    expect(avgs).toEqual([...avgs].sort((a, b) => b - a));
  });

  it('writes the master as Parquet with every row, one file per date, locally and in the lake', async () => {
    const master = await readParquet(path.join(cwd, MASTER_GLOB));
    expect(master).toHaveLength(3000);
    const day = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));
    const dates = [...new Set(master.map((r) => day(r.date)))].sort();
    for (const root of ['data/output', 'data/lake']) {
      const folders = fs.readdirSync(path.join(cwd, root, 'curated/campaign_daily')).sort();
      expect(folders).toEqual(dates.map((d) => `date=${d}`));
    }
    const first = await readParquet(path.join(cwd, `data/lake/curated/campaign_daily/date=${dates[0]}/campaign_daily.parquet`));
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((r) => day(r.date) === dates[0])).toBe(true);
  });

  it('prints the KPI tables with formatted numbers', () => {
    const expected = sumBy(rows, 'platform');
    const [platform, sums] = [...expected.entries()][0] as [string, Sums];
    const money = (sums.cost / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    // Too wide for 80 columns, the per-platform table is printed transposed: one column per platform.
    const lines = result.stdout.split('\n');
    const cells = (l: string) => l.split('│').map((c) => c.trim());
    const head = lines.findIndex((l) => cells(l).includes(platform));
    const col = cells(lines[head] ?? '').indexOf(platform);
    const cell = (label: string) => cells(lines.slice(head).find((l) => cells(l)[1] === label) ?? '')[col];
    expect(cell('Cost')).toBe(money);
    expect(cell('Impressions')).toBe(sums.impressions.toLocaleString('en-US'));
    expect(cell('CTR')).toMatch(/^\d+\.\d{2}%$/);
  });

  it('writes the HTML report to the output folder and logs its path', () => {
    expect(result.stderr).toMatch(/report written\s+path=data\/output\/report\.html/);
    expect(fs.readFileSync(path.join(cwd, 'data/output/report.html'), 'utf8')).toContain('id="chart-platform"');
  });

  it('loads nothing twice on a second transform', async () => {
    const again = await runCli(['transform', '--sql-dir', SQL_DIR], { cwd });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('no new raw files');
    const master = await readParquet(path.join(cwd, MASTER_GLOB));
    expect(master).toHaveLength(3000);
  });
});

describe('marketing-etl usage errors', () => {
  it('exits 2 with a hint on a bad option value', async () => {
    const cwd = tempDir('e2e-usage');
    const r = await runCli(['report', '--log-level', 'loud'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/log-level/);
  });

  it('takes options from MKETL_* variables, and flags win', async () => {
    const cwd = tempDir('e2e-env');
    const r = await runCli(['generate', '--rows', '10', '--from', '2026-01-01', '--to', '2026-01-02'], {
      cwd,
      env: { MKETL_LAKE: 'env-lake', MKETL_ROWS: '999' },
    });
    expect(r.code).toBe(0);
    const rows = readCsvTree(path.join(cwd, 'env-lake/raw/ads'));
    expect(rows).toHaveLength(10);
  });
});
