// The generator's --dirty-rate against the SQL cleaning: quarantine and dedup counts match its manifest exactly.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEngine, sqlString } from '../../src/engine/duckdb.js';
import { type CliResult, runCli, SQL_DIR } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface Manifest {
  rows_written: number;
  dirt: Record<string, number>;
}

const QUARANTINED = ['empty_numeric', 'not_a_number', 'negative_cost', 'clicks_above_impressions'];

async function query(db: string, sql: string): Promise<Record<string, unknown>[]> {
  const engine = await openEngine({ path: db });
  try {
    return await engine.all(sql);
  } finally {
    engine.close();
  }
}

describe('generate --dirty-rate, then transform', () => {
  let cwd: string;
  let manifest: Manifest;
  let transform: CliResult;
  const state = (): string => path.join(cwd, 'data/state/warehouse.duckdb');

  beforeAll(async () => {
    cwd = tempDir('e2e-dirty');
    const gen = await runCli(
      [
        'generate',
        '--rows',
        '20000',
        '--batch-rows',
        '2500',
        '--from',
        '2026-01-01',
        '--to',
        '2026-02-28',
        '--seed',
        '3',
        '--dirty-rate',
        '0.05',
        '--run-id',
        'dirty',
      ],
      { cwd },
    );
    expect(gen.code).toBe(0);
    manifest = JSON.parse(fs.readFileSync(path.join(cwd, 'data/lake/raw/ads/run=dirty/_manifest.json'), 'utf8'));
    transform = await runCli(['transform', '--sql-dir', SQL_DIR], { cwd });
  });

  it('quarantines exactly the rows the manifest says cannot be repaired, by reason', async () => {
    expect(transform.code).toBe(0);
    for (const kind of Object.keys(manifest.dirt)) expect(manifest.dirt[kind]).toBeGreaterThan(0);
    const rows = await query(state(), 'select reason, count(*) as n from quarantine group by reason');
    expect(Object.fromEntries(rows.map((r) => [r.reason, r.n]))).toEqual(Object.fromEntries(QUARANTINED.map((k) => [k, manifest.dirt[k]])));
    const parquet = path.join(cwd, 'data/output/quarantine/quarantine.parquet');
    const published = await query(':memory:', `select count(*) as n from read_parquet(${sqlString(parquet)})`);
    expect(published[0]?.n).toBe(QUARANTINED.reduce((s, k) => s + (manifest.dirt[k] ?? 0), 0));
  });

  it('keeps every other row once: master = rows written - duplicates - quarantined, labels normalised', async () => {
    const quarantined = QUARANTINED.reduce((s, k) => s + (manifest.dirt[k] ?? 0), 0);
    const master = await query(
      state(),
      'select count(*) as n, count(distinct (campaign_id, date, target_audience)) as keys from campaign_daily',
    );
    expect(master[0]).toEqual({ n: manifest.rows_written - (manifest.dirt.duplicate_row ?? 0) - quarantined, keys: master[0]?.n });
    const platforms = await query(state(), 'select distinct platform from campaign_daily order by platform');
    expect(platforms.map((p) => p.platform)).toEqual(['Facebook Ads', 'Google Ads', 'LinkedIn Ads', 'TikTok Ads']);
  });

  it('points each quarantined row at its real line in its raw file', async () => {
    const rows = await query(state(), 'select raw_file, line_number, campaign_id, date, target_audience from quarantine');
    const files = new Map<string, string[]>();
    for (const r of rows) {
      const key = r.raw_file as string;
      if (!files.has(key)) files.set(key, fs.readFileSync(path.join(cwd, 'data/lake', ...key.split('/')), 'utf8').split('\n'));
      const line = files.get(key)?.[(r.line_number as number) - 1] ?? '';
      expect(line.startsWith(`${r.campaign_id},`)).toBe(true);
      expect(line).toContain(`,${r.date},`);
      expect(line).toContain(`,${r.target_audience},`);
    }
  });
});
