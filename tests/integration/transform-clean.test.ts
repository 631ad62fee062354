// The transform over a dirty lake: cleaning and quarantine counts match the manifest, line numbers point at the
// real line, nothing loads twice, and a full refresh equals the incremental runs.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, resolveConfig } from '../../src/config.js';
import { type Engine, withEngine } from '../../src/engine/duckdb.js';
import { createLogger } from '../../src/log.js';
import { transformStep } from '../../src/pipeline/steps.js';
import { SQL_DIR } from '../helpers/cli.js';
import { type DirtyLake, HEADER, keyOf, QUARANTINE_KINDS, writeDirtyLake } from '../helpers/dirty.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger({ level: 'silent', format: 'pretty' });
const opts = (runId: string, fullRefresh = false) => ({ runId, runDate: '2026-06-30', fullRefresh });

function configIn(dir: string, state = 'state/warehouse.duckdb'): Config {
  return resolveConfig({
    lake: path.join(dir, 'lake'),
    state: path.join(dir, state),
    outputDir: path.join(dir, 'out'),
    sqlDir: SQL_DIR,
  });
}

async function inState<T>(config: Config, fn: (engine: Engine) => Promise<T>): Promise<T> {
  return withEngine({ path: config.state }, fn);
}

/** Row count and an order-independent hash of the master's content (run_id left out). */
const FINGERPRINT = `select count(*) as n, sum(hash(campaign_id, campaign_name, date, platform, target_audience, impressions,
  clicks, cost, conversions, revenue, video_view_time, raw_file))::varchar as h from campaign_daily`;

describe('transform over a dirty lake (contract with the generator)', () => {
  let dir: string;
  let config: Config;
  let lake: DirtyLake;
  let first: Awaited<ReturnType<typeof transformStep>>;

  beforeAll(async () => {
    dir = tempDir('clean');
    config = configIn(dir);
    lake = writeDirtyLake(path.join(dir, 'lake'), { runId: '20260101T000000Z-aaaaaa', seed: 5, files: 3, rowsPerFile: 400, every: 9 });
    first = await transformStep(config, opts('run-1'), log);
  });

  it('puts exactly the unrepairable rows in the quarantine, by reason', async () => {
    const { dirt, rows_written } = lake.manifest;
    for (const kind of Object.keys(dirt)) expect(dirt[kind as keyof typeof dirt]).toBeGreaterThan(0);
    const byReason = await inState(config, (e) =>
      e.all<{ reason: string; n: number }>('select reason, count(*) as n from quarantine group by reason'),
    );
    const expected = Object.fromEntries(QUARANTINE_KINDS.map((k) => [k, dirt[k]]));
    expect(Object.fromEntries(byReason.map((r) => [r.reason, r.n]))).toEqual(expected);
    const quarantined = QUARANTINE_KINDS.reduce((s, k) => s + dirt[k], 0);
    expect(first.rawRows).toBe(rows_written);
    expect(first.quarantined).toBe(quarantined);
    expect(first.masterRows).toBe(rows_written - dirt.duplicate_row - quarantined);
  });

  it('keeps every other row with its original values: platform labels and thousands separators repaired', async () => {
    const master = await inState(config, (e) =>
      e.all<Record<string, unknown>>(
        "select campaign_id, campaign_name, strftime(date, '%Y-%m-%d') as date, platform, target_audience, impressions, clicks, (cost * 100)::bigint as cost_cents, conversions, (revenue * 100)::bigint as revenue_cents, video_view_time from campaign_daily",
      ),
    );
    const expected = [...lake.clean.values()].filter((r) => !lake.quarantined.has(keyOf(r)));
    expect(master).toHaveLength(expected.length);
    const byKey = new Map(master.map((m) => [keyOf(m as never), m]));
    for (const row of expected) expect(byKey.get(keyOf(row))).toEqual(row);
  });

  it('names the raw file and the real line of each quarantined row', async () => {
    const rows = await inState(config, (e) =>
      e.all<{ raw_file: string; line_number: number; campaign_id: string; date: string; target_audience: string; reason: string }>(
        'select raw_file, line_number, campaign_id, date, target_audience, reason from quarantine',
      ),
    );
    for (const r of rows) {
      const lines = fs.readFileSync(path.join(dir, 'lake', ...r.raw_file.split('/')), 'utf8').split('\n');
      expect(lines[r.line_number - 1]).toMatch(new RegExp(`^${r.campaign_id},.*,${r.date},.*,${r.target_audience.replace('+', '\\+')},`));
      expect(lake.quarantined.get(`${r.campaign_id}|${r.date}|${r.target_audience}`)).toBe(r.reason);
    }
  });

  it('publishes the quarantine as Parquet', async () => {
    const file = path.join(dir, 'out', 'quarantine', 'quarantine.parquet');
    const n = await withEngine({ path: ':memory:' }, (e) => e.all<{ n: number }>(`select count(*) as n from read_parquet('${file}')`));
    expect(n[0]?.n).toBe(first.quarantined);
  });

  it('loads nothing new on a second run, and records the SQL files of both runs', async () => {
    const before = await inState(config, (e) => e.all(FINGERPRINT));
    const again = await transformStep(config, opts('run-2'), log);
    expect(again.newFiles).toBe(0);
    expect(await inState(config, (e) => e.all(FINGERPRINT))).toEqual(before);
    const recorded = await inState(config, (e) =>
      e.all<{ run_id: string; n: number }>('select run_id, count(*) as n from etl_sql_files group by run_id order by run_id'),
    );
    const sqlFiles = fs.readdirSync(SQL_DIR, { recursive: true }).filter((f) => String(f).endsWith('.sql')).length;
    expect(recorded).toEqual([
      { run_id: 'run-1', n: sqlFiles },
      { run_id: 'run-2', n: sqlFiles },
    ]);
  });

  it('gives the same master with --full-refresh as with incremental runs, whatever the load order', async () => {
    const d2 = tempDir('clean-incr');
    const c2 = configIn(d2);
    const rawDir = path.join(d2, 'lake', 'raw', 'ads', 'run=20260101T000000Z-aaaaaa');
    fs.mkdirSync(rawDir, { recursive: true });
    // Load the batches newest first, one run each: the greatest file key must still win every duplicate.
    for (const key of [...lake.keys].reverse()) {
      fs.copyFileSync(path.join(dir, 'lake', ...key.split('/')), path.join(d2, 'lake', ...key.split('/')));
      const r = await transformStep(c2, opts(`incr-${path.basename(key)}`), log);
      expect(r.newFiles).toBe(1);
    }
    const incremental = await inState(c2, (e) => e.all(FINGERPRINT));
    const full = await transformStep(c2, opts('full', true), log);
    expect(full.newFiles).toBe(lake.keys.length);
    expect(await inState(c2, (e) => e.all(FINGERPRINT))).toEqual(incremental);
    expect(await inState(config, (e) => e.all(FINGERPRINT))).toEqual(incremental);
    const q = await inState(c2, (e) => e.all<{ n: number }>('select count(*) as n from quarantine'));
    expect(q[0]?.n).toBe(first.quarantined);
  });
});

describe('raw files that are not plain generator batches', () => {
  it('loads the replaced system layout into the same master, missing columns as NULL', async () => {
    const dir = tempDir('legacy');
    const config = configIn(dir);
    const legacyDir = path.join(dir, 'lake', 'raw', 'ads', 'imported', 'old-bucket');
    fs.mkdirSync(legacyDir, { recursive: true });
    fs.writeFileSync(
      path.join(legacyDir, 'marketing_data_17.csv'),
      'campaign_id,date,platform,target_audience,impressions,ctr,clicks,cpc,costo_total,video_view_time\n' +
        'OLD-1,2025-03-01,Facebook Ads,Mujer 18-25,1000,0.02,20,0.50,10.00,12.5\n' +
        'OLD-1,2025-03-01,facebook,Mujer 26-35,2000,0.01,20,0.25,5.00,\n',
    );
    lakeFile(
      dir,
      'raw/ads/run=x/part-00001.csv',
      `${HEADER}\nNEW-1,"A, B",2025-03-02,Google Ads,Hombre +46,500,5,0.01,1.00,5.00,1,30.00,7.5\n`,
    );
    const r = await transformStep(config, opts('legacy'), log);
    expect(r.masterRows).toBe(3);
    const rows = await inState(config, (e) =>
      e.all(
        'select campaign_id, campaign_name, platform, target_audience, impressions, clicks, cost::double as cost, conversions, revenue, video_view_time, raw_file from campaign_daily order by campaign_id, target_audience',
      ),
    );
    expect(rows).toEqual([
      {
        campaign_id: 'NEW-1',
        campaign_name: 'A, B',
        platform: 'Google Ads',
        target_audience: 'Hombre +46',
        impressions: 500,
        clicks: 5,
        cost: 5,
        conversions: 1,
        revenue: 30,
        video_view_time: 7.5,
        raw_file: 'raw/ads/run=x/part-00001.csv',
      },
      {
        campaign_id: 'OLD-1',
        campaign_name: null,
        platform: 'Facebook Ads',
        target_audience: 'Mujer 18-25',
        impressions: 1000,
        clicks: 20,
        cost: 10,
        conversions: null,
        revenue: null,
        video_view_time: 12.5,
        raw_file: 'raw/ads/imported/old-bucket/marketing_data_17.csv',
      },
      {
        campaign_id: 'OLD-1',
        campaign_name: null,
        platform: 'Facebook Ads',
        target_audience: 'Mujer 26-35',
        impressions: 2000,
        clicks: 20,
        cost: 5,
        conversions: null,
        revenue: null,
        video_view_time: null,
        raw_file: 'raw/ads/imported/old-bucket/marketing_data_17.csv',
      },
    ]);
  });

  it('fails the run on a header that matches no layout, naming the file and the difference, loading nothing', async () => {
    const dir = tempDir('badheader');
    const config = configIn(dir);
    lakeFile(dir, 'raw/ads/a/good.csv', `${HEADER}\nC-1,n,2025-03-02,Google Ads,Hombre +46,500,5,0.01,1.00,5.00,1,30.00,7.5\n`);
    lakeFile(
      dir,
      'raw/ads/b/odd.csv',
      'campaign_id,date,platform,target_audience,impressions,clicks,spend\nC-2,2025-03-02,Google Ads,x,1,1,1\n',
    );
    await expect(transformStep(config, opts('bad'), log)).rejects.toThrow(
      /raw\/ads\/b\/odd\.csv: header matches no known layout.*missing .*cost.*unexpected spend/,
    );
    const loaded = await inState(config, (e) => e.all<{ n: number }>('select count(*) as n from etl_manifest'));
    expect(loaded[0]?.n).toBe(0);
  });

  it('quarantines lines with broken CSV structure with their line, and keeps the lines after them right', async () => {
    const dir = tempDir('rejects');
    const config = configIn(dir);
    const good = (id: string) => `${id},n,2025-03-02,Google Ads,Hombre +46,500,5,0.01,1.00,5.00,1,30.00,7.5`;
    // Enough good lines that the quarantine stays under the 20% the quarantine-rate check allows.
    const many = Array.from({ length: 20 }, (_, i) => good(`A${i}`)).join('\n');
    lakeFile(dir, 'raw/ads/r/a.csv', `${HEADER}\n${many}\n`);
    lakeFile(
      dir,
      'raw/ads/r/b.csv',
      `${HEADER}\n${good('B1')}\nB2,too,few\n${good('B3')}\n${good('B4')},extra\n${good('B5')}\n${good('B6').replace('500', '')}\n`,
    );
    // b.csv has 2 broken lines of 6: allowed here by a --max-reject-rate above its 33%.
    const r = await transformStep(config, { ...opts('rejects'), maxRejectRate: 0.5 }, log);
    expect(r.rawRows).toBe(26);
    expect(r.masterRows).toBe(23);
    const q = await inState(config, (e) =>
      e.all('select raw_file, line_number, reason, campaign_id, raw_line is not null as has_raw from quarantine order by line_number'),
    );
    expect(q).toEqual([
      { raw_file: 'raw/ads/r/b.csv', line_number: 3, reason: 'malformed_csv', campaign_id: null, has_raw: true },
      { raw_file: 'raw/ads/r/b.csv', line_number: 5, reason: 'malformed_csv', campaign_id: null, has_raw: true },
      { raw_file: 'raw/ads/r/b.csv', line_number: 7, reason: 'empty_numeric', campaign_id: 'B6', has_raw: false },
    ]);
  });

  it('fails the run naming a file DuckDB cannot read at all, loading nothing of the run', async () => {
    const dir = tempDir('unreadable');
    const config = configIn(dir);
    lakeFile(dir, 'raw/ads/a/good.csv', `${HEADER}\nG-1,n,2025-03-02,Google Ads,Hombre +46,500,5,0.01,1.00,5.00,1,30.00,7.5\n`);
    // A valid header, then binary noise that derails DuckDB's CSV state machine (seeded, so always the same bytes).
    let seed = 7;
    const noise = Buffer.from(
      Array.from({ length: 3000 }, () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return (seed >> 16) & 0xff;
      }),
    );
    lakeFile(
      dir,
      'raw/ads/b/noise.csv',
      Buffer.concat([Buffer.from(`${HEADER}\nG-2,n,2025-03-02,Google Ads,Hombre +46,500,5,0.01,1.00,5.00,1,30.00,7.5\n`), noise]),
    );
    await expect(transformStep(config, opts('noise'), log)).rejects.toThrow(/^cannot read raw file raw\/ads\/b\/noise\.csv: /);
    const loaded = await inState(config, (e) => e.all<{ n: number }>('select count(*) as n from etl_manifest'));
    expect(loaded[0]?.n).toBe(0);
  });

  it('loads a file whose name holds a quote without letting it into the SQL', async () => {
    const dir = tempDir('quote');
    const config = configIn(dir);
    const key = "raw/ads/x/it's'); drop table etl_manifest; --.csv";
    lakeFile(dir, key, `${HEADER}\nQ-1,n,2025-03-02,TikTok Ads,Mujer +46,500,5,0.01,1.00,5.00,1,30.00,7.5\n`);
    const r = await transformStep(config, opts('quote'), log);
    expect(r.masterRows).toBe(1);
    const m = await inState(config, (e) => e.all('select key from etl_manifest'));
    expect(m).toEqual([{ key }]);
  });
});

function lakeFile(dir: string, key: string, text: string | Buffer): void {
  const file = path.join(dir, 'lake', ...key.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
