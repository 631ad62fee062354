// `marketing-etl report` in every format, checked against DuckDB queries over the published Parquet (no snapshots).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sqlIdent } from '../../src/engine/duckdb.js';
import { runCli, SQL_DIR } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';
import { buildReportFixture, duck, HOSTILE, parquet, type ReportFixture } from '../helpers/report-fixture.js';
import { tempDir } from '../helpers/tmp.js';

const KPIS = ['overview', 'platform_performance', 'audience_view_time', 'top_campaigns_by_roi', 'bottom_campaigns_by_roi', 'daily_trend'];

interface JsonReport {
  format_version: number;
  generated_at: string;
  kpis: {
    name: string;
    title: string;
    source: string;
    columns: { name: string; type: string; format: string }[];
    rows: Record<string, unknown>[];
  }[];
}

let fx: ReportFixture;
const report = (args: string[]) => runCli(['report', '--sql-dir', SQL_DIR, ...args], { cwd: fx.cwd });
const mart = (name: string) => parquet(path.join(fx.marts, `${name}.parquet`));

beforeAll(async () => {
  fx = await buildReportFixture(tempDir('e2e-report'));
});

describe('report --format json', () => {
  let doc: JsonReport;
  beforeAll(async () => {
    const r = await report(['--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    doc = JSON.parse(r.stdout) as JsonReport;
  });

  it('has one object per KPI file, in file order, with the documented fields', () => {
    expect(doc.format_version).toBe(1);
    expect(Number.isNaN(Date.parse(doc.generated_at))).toBe(false);
    expect(doc.kpis.map((k) => k.name)).toEqual(KPIS);
    for (const k of doc.kpis) {
      expect(k.source).toMatch(/^kpis\/\d{3}_[a-z_]+\.sql$/);
      expect(k.title.length).toBeGreaterThan(0);
      for (const row of k.rows) expect(Object.keys(row)).toEqual(k.columns.map((c) => c.name));
    }
  });

  it('holds exactly the values DuckDB reads from each published Parquet file (ratios as fractions)', async () => {
    for (const k of doc.kpis) {
      const select = k.columns.map((c) =>
        c.type === 'DATE' ? `strftime(${sqlIdent(c.name)}, '%Y-%m-%d') as ${sqlIdent(c.name)}` : sqlIdent(c.name),
      );
      const expected = await duck(`select ${select.join(', ')} from ${mart(k.name)}`);
      expect(k.rows, k.name).toEqual(expected);
    }
    const platform = doc.kpis.find((k) => k.name === 'platform_performance');
    expect(platform?.columns.find((c) => c.name === 'ctr')?.format).toBe('percent');
    for (const row of platform?.rows ?? []) {
      expect(typeof row.cost).toBe('number');
      expect(row.ctr as number).toBeGreaterThan(0);
      expect(row.ctr as number).toBeLessThan(1);
    }
  });

  it('agrees with sums over the published master', async () => {
    const [sums] = await duck<{ cost: number; revenue: number; clicks: number; impressions: number }>(
      `select sum(cost)::double as cost, sum(revenue)::double as revenue, sum(clicks)::bigint as clicks, sum(impressions)::bigint as impressions
       from ${parquet(path.join(fx.outputDir, 'curated/campaign_daily/*/campaign_daily.parquet'))}`,
    );
    const overview = doc.kpis.find((k) => k.name === 'overview')?.rows[0] ?? {};
    expect(overview.cost).toBeCloseTo(sums?.cost ?? Number.NaN, 6);
    expect(overview.revenue).toBeCloseTo(sums?.revenue ?? Number.NaN, 6);
    expect(overview.ctr).toBeCloseTo((sums?.clicks ?? 0) / (sums?.impressions ?? 1), 12);
    expect(overview.roi).toBeCloseTo(((sums?.revenue ?? 0) - (sums?.cost ?? 0)) / (sums?.cost ?? 1), 10);
  });

  it('ranks campaigns by ROI and leaves out those without spend', () => {
    const top = doc.kpis.find((k) => k.name === 'top_campaigns_by_roi')?.rows ?? [];
    const bottom = doc.kpis.find((k) => k.name === 'bottom_campaigns_by_roi')?.rows ?? [];
    expect(top).toHaveLength(10);
    expect(top.slice(0, 2).map((r) => r.campaign_name)).toEqual([HOSTILE.formula, HOSTILE.at]);
    expect(top[0]?.roi).toBeCloseTo((100000 - 10) / 10, 9);
    expect(bottom.slice(0, 2).map((r) => r.campaign_name)).toEqual([HOSTILE.html, HOSTILE.minus]);
    expect(bottom[0]?.roi).toBe(-1);
    expect(top.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const names = [...top, ...bottom].map((r) => r.campaign_name);
    expect(names).not.toContain(HOSTILE.quoted);
  });

  it('writes the same document to --output FILE and logs the path', async () => {
    const r = await report(['--format', 'json', '--output', 'out/kpis.json', '--kpi', 'overview']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path.join('out', 'kpis.json'));
    const written = JSON.parse(fs.readFileSync(path.join(fx.cwd, 'out/kpis.json'), 'utf8')) as JsonReport;
    expect(written.kpis.map((k) => k.name)).toEqual(['overview']);
    expect(written.kpis[0]?.rows).toEqual(doc.kpis[0]?.rows);
  });
});

describe('report --format csv', () => {
  it('writes one KPI as CSV with formula-looking text escaped and numbers left alone', async () => {
    const r = await report(['--format', 'csv', '--kpi', 'bottom_campaigns_by_roi']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('\r\n');
    const [header, ...rows] = parseCsv(r.stdout.replaceAll('\r\n', '\n')).filter((row) => row.length > 1);
    expect(header).toEqual(['position', 'campaign_name', 'platform', 'cost', 'revenue', 'roi']);
    expect(rows[0]?.[1]).toBe(HOSTILE.html);
    expect(rows[1]?.[1]).toBe(`'${HOSTILE.minus}`);
    expect(rows[0]?.[5]).toBe('-1');
    const expected = await duck<{ roi: number; cost: number }>(`select roi, cost::double as cost from ${mart('bottom_campaigns_by_roi')}`);
    expect(rows.map((row) => Number(row[5]))).toEqual(expected.map((e) => e.roi));
    expect(rows.map((row) => Number(row[3]))).toEqual(expected.map((e) => e.cost));
  });

  it('escapes = and @ in the top campaigns', async () => {
    const r = await report(['--format', 'csv', '--kpi', 'top_campaigns_by_roi', '--output', 'top.csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(fs.readFileSync(path.join(fx.cwd, 'top.csv'), 'utf8').replaceAll('\r\n', '\n'));
    expect(rows[1]?.[1]).toBe(`'${HOSTILE.formula}`);
    expect(rows[2]?.[1]).toBe(`'${HOSTILE.at}`);
  });

  it('writes one file per KPI into a folder, and refuses several KPIs on stdout', async () => {
    const r = await report(['--format', 'csv', '--output', 'csv-out']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(path.join(fx.cwd, 'csv-out')).sort()).toEqual(KPIS.map((k) => `${k}.csv`).sort());
    const bad = await report(['--format', 'csv']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hint: .*--kpi/);
  });

  it('exits 2 naming the known KPIs for an unknown --kpi', async () => {
    const r = await report(['--kpi', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('platform_performance');
  });
});

describe('report --format table', () => {
  it('prints every KPI in lines of at most 80 characters, without colour when not a TTY', async () => {
    const r = await report([]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const widest = Math.max(...lines.map((l) => [...l].length));
    expect(widest).toBeLessThanOrEqual(80);
    expect(widest).toBeGreaterThan(60);
    expect(r.stdout).not.toContain('\u001b[');
    for (const title of ['Overview of the whole period', 'Spend and efficiency per platform', 'Top 10 campaigns by ROI', 'Daily trend']) {
      expect(r.stdout).toContain(title);
    }
  });

  it('shows the Parquet values formatted: thousands separators, money with 2 decimals, percentages', async () => {
    const r = await report(['--kpi', 'overview']);
    const [o] = await duck<{ cost: number; impressions: number; roi: number; ctr: number }>(
      `select cost::double as cost, impressions, roi, ctr from ${mart('overview')}`,
    );
    const money = (o?.cost ?? 0).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const pct = (v: number) => `${(v * 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;
    const line = (label: string) => r.stdout.split('\n').find((l) => l.includes(` ${label} `)) ?? '';
    expect(line('Cost')).toContain(money);
    expect(line('Impressions')).toContain((o?.impressions ?? 0).toLocaleString('en-US'));
    expect(line('ROI')).toContain(pct(o?.roi ?? 0));
    expect(line('CTR')).toMatch(new RegExp(`${pct(o?.ctr ?? 0).replace('.', '\\.')} +│$`));
  });
});

describe('the HTML report', () => {
  it('is written by every transform to <output-dir>/report.html, and by report --format html --output FILE', async () => {
    expect(fx.transformLog).toMatch(/report written\s+path=data\/output\/report\.html/);
    const html = fs.readFileSync(path.join(fx.outputDir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain(HOSTILE.html);
    expect(html).toContain('&lt;img src=x onerror=document.title=1&gt;');
    expect(html).not.toMatch(/<script|<link|\bsrc=["']?https?:|@import|url\(/i);
    const r = await report(['--format', 'html', '--output', 'r.html']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('r.html');
    expect(fs.readFileSync(path.join(fx.cwd, 'r.html'), 'utf8')).toContain('id="chart-trend"');
  });
});
