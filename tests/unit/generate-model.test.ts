// The generator through its library API into a real local lake: bytes, coherence, keys, budgets, distributions.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { type GenerateOptions, type GenerateResult, generate, newRunId } from '../../src/generate/generate.js';
import { makePlan, optionProblems } from '../../src/generate/plan.js';
import { LocalLake } from '../../src/lake/local.js';
import { createLogger } from '../../src/log.js';
import { parseCsv } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger({ level: 'silent', format: 'json' });
const AUDIENCES = ['Mujer 18-25', 'Mujer 26-35', 'Mujer 36-45', 'Mujer +46', 'Hombre 18-25', 'Hombre 26-35', 'Hombre 36-45', 'Hombre +46'];
const PLATFORMS = ['Facebook Ads', 'Google Ads', 'TikTok Ads', 'LinkedIn Ads'];
const HEADER =
  'campaign_id,campaign_name,date,platform,target_audience,impressions,clicks,ctr,cpc,cost,conversions,revenue,video_view_time';

const base: GenerateOptions = { rows: 12_000, batchRows: 5_000, from: '2026-01-01', to: '2026-01-31', seed: 7, runId: 'r1' };

/** Generates into a fresh lake and returns every file of the run, by name. */
async function run(options: Partial<GenerateOptions> = {}): Promise<{ files: Map<string, Buffer>; result: GenerateResult; root: string }> {
  const root = tempDir('gen');
  const result = await generate({ ...base, ...options }, new LocalLake(root), log);
  const dir = path.join(root, 'raw/ads', `run=${result.runId}`);
  const files = new Map(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]));
  return { files, result, root };
}

/** Data rows of the CSV files, in file order, as objects keyed by the header. */
function rowsOf(files: Map<string, Buffer>): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const [name, body] of [...files].sort()) {
    if (!name.endsWith('.csv')) continue;
    const [header, ...rows] = parseCsv(body.toString('utf8'));
    expect(header?.join(',')).toBe(HEADER);
    for (const r of rows) out.push(Object.fromEntries((header ?? []).map((h, i) => [h, r[i] as string])));
  }
  return out;
}

const cents = (text: string) => Math.round(Number(text) * 100);

describe('generate: determinism', () => {
  it('writes byte-identical files for the same options and seed, and different bytes for another seed', async () => {
    const a = await run();
    const b = await run();
    const c = await run({ seed: 8 });
    expect([...a.files.keys()].sort()).toEqual(['_manifest.json', 'part-00001.csv', 'part-00002.csv', 'part-00003.csv']);
    for (const [name, body] of a.files) expect(body.equals(b.files.get(name) as Buffer)).toBe(true);
    for (const name of ['part-00001.csv', 'part-00002.csv', 'part-00003.csv']) {
      expect((c.files.get(name) as Buffer).equals(a.files.get(name) as Buffer)).toBe(false);
    }
  });

  it('makes the same rows whatever the batch size', async () => {
    const lines = (files: Map<string, Buffer>) =>
      [...files]
        .filter(([name]) => name.endsWith('.csv'))
        .sort()
        .flatMap(([, body]) => body.toString('utf8').trimEnd().split('\n').slice(1));
    const small = lines((await run({ batchRows: 1_000 })).files);
    const large = lines((await run({ batchRows: 12_000 })).files);
    expect(small).toHaveLength(12_000);
    expect(small.join('\n') === large.join('\n')).toBe(true);
  });
});

describe('generate: the data', () => {
  let rows: Record<string, string>[];
  let result: GenerateResult;

  beforeAll(async () => {
    const r = await run({ rows: 20_000, from: '2026-03-01', to: '2026-03-28' });
    rows = rowsOf(r.files);
    result = r.result;
  });

  it('writes the requested rows, in batches of --batch-rows', () => {
    expect(rows).toHaveLength(20_000);
    expect(result.files).toHaveLength(4);
    expect(result.files[0]).toBe('raw/ads/run=r1/part-00001.csv');
  });

  it('is coherent: clicks <= impressions, conversions <= clicks, cost = clicks x cpc, ctr = clicks / impressions', () => {
    const bad = rows.filter((r) => {
      const impressions = Number(r.impressions);
      const clicks = Number(r.clicks);
      return !(
        Number.isInteger(impressions) &&
        impressions >= 1 &&
        clicks <= impressions &&
        Number(r.conversions) <= clicks &&
        cents(r.cost as string) === clicks * cents(r.cpc as string) &&
        /^\d+\.\d{2}$/.test(r.cost as string) &&
        Math.abs(Number(r.ctr) - clicks / impressions) <= 5e-7 + 1e-12 &&
        Number(r.revenue) >= 0 &&
        (Number(r.conversions) > 0 || Number(r.revenue) === 0) &&
        Number(r.video_view_time) > 0
      );
    });
    expect(bad).toEqual([]);
    expect(rows.some((r) => Number(r.clicks) > 0 && Number(r.conversions) > 0)).toBe(true);
  });

  it('has one row per natural key (campaign_id, date, target_audience), with known labels', () => {
    const keys = new Set(rows.map((r) => `${r.campaign_id}|${r.date}|${r.target_audience}`));
    expect(keys.size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.target_audience))).toEqual(new Set(AUDIENCES));
    expect(new Set(rows.map((r) => r.platform))).toEqual(new Set(PLATFORMS));
    const dates = new Set(rows.map((r) => r.date));
    expect(dates.size).toBe(28);
    expect([...dates].sort()[0]).toBe('2026-03-01');
    expect([...dates].sort().at(-1)).toBe('2026-03-28');
  });

  it('keeps each campaign within its active dates and its spend within its daily budget', async () => {
    const plan = await makePlan({ ...base, rows: 20_000, from: '2026-03-01', to: '2026-03-28' });
    const t = plan.campaigns;
    const index = new Map(t.ids.map((id, c) => [id, c]));
    const spend = new Map<string, number>();
    const outside: string[] = [];
    for (const r of rows) {
      const c = index.get(r.campaign_id as string) as number;
      const day = plan.dates.indexOf(r.date as string);
      if (r.campaign_name !== t.names[c] || day < (t.firstDay[c] as number) || day > (t.lastDay[c] as number))
        outside.push(r.campaign_id as string);
      const key = `${c}|${r.date}`;
      spend.set(key, (spend.get(key) ?? 0) + cents(r.cost as string));
    }
    expect(outside).toEqual([]);
    const over = [...spend].filter(([key, total]) => total > (t.dailyBudgetCents[Number(key.split('|')[0])] as number));
    expect(over).toEqual([]);
    expect(spend.size).toBeGreaterThan(1000);
    expect(t.count).toBe(result.campaigns);
  });

  it('gives each platform and audience its own KPIs', () => {
    const ctr = (filter: (r: Record<string, string>) => boolean) => {
      const sel = rows.filter(filter);
      return sel.reduce((s, r) => s + Number(r.clicks), 0) / sel.reduce((s, r) => s + Number(r.impressions), 0);
    };
    const byPlatform = Object.fromEntries(PLATFORMS.map((p) => [p, ctr((r) => r.platform === p)]));
    expect(byPlatform['Google Ads']).toBeGreaterThan(2 * (byPlatform['Facebook Ads'] as number));
    expect(byPlatform['Facebook Ads']).toBeGreaterThan(byPlatform['LinkedIn Ads'] as number);
    const tiktok = (a: string) => ctr((r) => r.platform === 'TikTok Ads' && r.target_audience === a);
    expect(tiktok('Mujer 18-25')).toBeGreaterThan(1.5 * tiktok('Mujer +46'));
  });

  it('quotes campaign names that hold commas', () => {
    expect(rows.some((r) => (r.campaign_name as string).includes(','))).toBe(true);
    expect(rows.every((r) => /^CMP-\d{5,}$/.test(r.campaign_id as string))).toBe(true);
  });
});

describe('generate: runs and options', () => {
  it('never reuses a run folder: fresh run ids differ, and an existing run id is refused', async () => {
    const root = tempDir('gen-runs');
    const lake = new LocalLake(root);
    const first = await generate({ ...base, rows: 100, runId: newRunId() }, lake, log);
    const second = await generate({ ...base, rows: 100, runId: newRunId() }, lake, log);
    expect(first.runId).not.toBe(second.runId);
    expect(fs.readdirSync(path.join(root, 'raw/ads'))).toHaveLength(2);
    const again = generate({ ...base, rows: 100, runId: first.runId }, lake, log);
    await expect(again).rejects.toThrow(/already exists/);
    await expect(again).rejects.toBeInstanceOf(ConfigError);
  });

  it('reports every bad option at once', () => {
    const problems = optionProblems({
      rows: 0,
      batchRows: 1.5,
      from: '2026-02-30',
      to: 'soon',
      campaigns: -1,
      seed: Number.NaN,
      dirtyRate: 0.9,
      runId: '../x',
    });
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/--rows.*--batch-rows.*--from.*--to.*--campaigns.*--seed.*--dirty-rate.*--run-id/s);
    expect(optionProblems(base)).toEqual([]);
  });

  it('explains when the campaigns cannot hold the rows', async () => {
    const tooFew = makePlan({ ...base, rows: 5_000, campaigns: 3 });
    await expect(tooFew).rejects.toBeInstanceOf(ConfigError);
    await expect(tooFew).rejects.toThrow(/raise --campaigns/);
    await expect(makePlan({ ...base, from: '2026-02-01', to: '2026-01-01' })).rejects.toThrow(/after --to/);
  });
});
