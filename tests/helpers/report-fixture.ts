// A small published dataset for report tests: generated rows plus hand-written campaigns whose names attack
// spreadsheets and HTML, with ROIs extreme enough to land in the top and bottom tables. No `"` inside names: the
// raw CSV reader's sniffer does not take doubled quotes as an escape when the generated files hold none.
import fs from 'node:fs';
import path from 'node:path';
import { openEngine, sqlString } from '../../src/engine/duckdb.js';
import { runCli, SQL_DIR } from './cli.js';

export const HOSTILE = {
  formula: "=HYPERLINK('http://127.0.0.1:9/x','click')",
  html: '<img src=x onerror=document.title=1>',
  minus: '-2+3 @home',
  at: '@SUM(A1:A9)',
  quoted: "Zero, 'spend' & Co",
} as const;

const HEADER =
  'campaign_id,campaign_name,date,platform,target_audience,impressions,clicks,ctr,cpc,cost,conversions,revenue,video_view_time';
const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
/** ROI: formula ~ +9999x (top 1), at ~ +4999x (top 2), html -100% (bottom 1), minus -98% (bottom 2), quoted: no spend, no ROI. */
const ROWS = [
  `CMP-90001,${q(HOSTILE.formula)},2026-01-05,Google Ads,Mujer 18-25,1000,100,0.1,0.1,10.00,50,100000.00,12.5`,
  `CMP-90004,${q(HOSTILE.at)},2026-01-05,LinkedIn Ads,Mujer 26-35,1000,10,0.01,0.1,1.00,5,5000.00,8`,
  `CMP-90002,${q(HOSTILE.html)},2026-01-05,Facebook Ads,Hombre +46,1000,100,0.1,1,100.00,0,0.00,3`,
  `CMP-90003,${q(HOSTILE.minus)},2026-01-06,TikTok Ads,Hombre 18-25,1000,10,0.01,5,50.00,1,1.00,4`,
  `CMP-90005,${q(HOSTILE.quoted)},2026-01-06,Google Ads,Mujer +46,100,0,0,0,0.00,0,0.00,1`,
];

export interface ReportFixture {
  cwd: string;
  outputDir: string;
  marts: string;
  /** What `transform` logged. */
  transformLog: string;
}

/** `generate` (seed 7, 2026-01-01..2026-01-31), the hostile batch, then `transform`: the KPIs are published. */
export async function buildReportFixture(cwd: string): Promise<ReportFixture> {
  const common = ['--sql-dir', SQL_DIR];
  const gen = await runCli(['generate', '--rows', '4000', '--from', '2026-01-01', '--to', '2026-01-31', '--seed', '7', ...common], { cwd });
  if (gen.code !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const dir = path.join(cwd, 'data/lake/raw/ads/run=fixture-hostile');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'part-00001.csv'), `${[HEADER, ...ROWS].join('\n')}\n`);
  const tr = await runCli(['transform', ...common], { cwd });
  if (tr.code !== 0) throw new Error(`transform failed: ${tr.stderr}`);
  const outputDir = path.join(cwd, 'data/output');
  return { cwd, outputDir, marts: path.join(outputDir, 'marts'), transformLog: tr.stderr };
}

/** Rows of a query over Parquet files, straight from DuckDB. */
export async function duck<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
  const engine = await openEngine({ path: ':memory:' });
  try {
    return await engine.all<T>(sql);
  } finally {
    engine.close();
  }
}

export const parquet = (file: string): string => `read_parquet(${sqlString(file)})`;
