// The CLI against a real S3 emulator (moto on loopback): same KPIs as the local lake, >1,000 objects, reruns, no leaked keys.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { openEngine, sqlString } from '../../src/engine/duckdb.js';
import { openLake } from '../../src/lake/index.js';
import { createLogger } from '../../src/log.js';
import { loadSqlFiles } from '../../src/sql/files.js';
import { type CliResult, runCli, SQL_DIR } from '../helpers/cli.js';
import { FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { tempDir } from '../helpers/tmp.js';

const GEN = ['--from', '2026-01-01', '--to', '2026-01-31', '--seed', '11', '--run-id', 'r-s3-parity', '--sql-dir', SQL_DIR];
const outputs: CliResult[] = [];

async function cli(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<CliResult> {
  const result = await runCli(args, { cwd, env });
  outputs.push(result);
  return result;
}

async function parquetRows(file: string): Promise<Record<string, unknown>[]> {
  const engine = await openEngine({ path: ':memory:' });
  try {
    return await engine.all(`select * from read_parquet(${sqlString(file)})`);
  } finally {
    engine.close();
  }
}

/** Equal rows; doubles may differ in the last bits, because DuckDB sums in parallel in no fixed order. */
function expectSameRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[]): void {
  expect(actual.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
  actual.forEach((row, i) => {
    for (const [column, want] of Object.entries(expected[i] as Record<string, unknown>)) {
      const got = row[column];
      if (typeof want === 'number' && typeof got === 'number')
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
      else expect(got).toEqual(want);
    }
  });
}

/** Reads one object through the S3 lake in this process, with the same fake credentials as the CLI children. */
async function readObject(uri: string, key: string): Promise<Buffer> {
  const lake = await openLake(resolveConfig({ lake: uri }), createLogger({ level: 'silent', format: 'pretty' }));
  try {
    return await lake.read(key);
  } finally {
    await lake.close();
  }
}

async function listKeys(moto: Moto, bucket: string, prefix: string): Promise<string[]> {
  const response = await fetch(`${moto.endpoint}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`);
  return [...(await response.text()).matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1] as string);
}

describe.skipIf(!motoAvailable())('S3 lake through the CLI (moto)', () => {
  let moto: Moto;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    moto = await startMoto();
    env = s3Env(moto);
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto.createBucket('mketl-parity');
    await moto.createBucket('mketl-many');
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('generate -> transform -> report on S3 gives the same KPIs as on the local lake', async () => {
    const local = tempDir('s3-parity-local');
    const remote = tempDir('s3-parity-s3');
    const l = await cli(['run', '--rows', '3000', '--batch-rows', '700', ...GEN], local, {});
    const r = await cli(['run', '--rows', '3000', '--batch-rows', '700', '--lake', 's3://mketl-parity/team/lake', ...GEN], remote, env);
    expect(l.code).toBe(0);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/S3 reads: AWS SDK downloads to a staging folder \(auto: httpfs cannot load\)/);
    expect(r.stdout).toBe(l.stdout);
    for (const kpi of ['marts/platform_performance.parquet', 'marts/audience_view_time.parquet']) {
      const expected = await parquetRows(path.join(local, 'data/output', kpi));
      expect(expected.length).toBeGreaterThan(0);
      expectSameRows(await parquetRows(path.join(remote, 'data/output', kpi)), expected);
      // The copy published back to the bucket is the same data.
      const fetched = path.join(remote, 'fetched.parquet');
      fs.writeFileSync(fetched, await readObject('s3://mketl-parity/team/lake', kpi));
      expectSameRows(await parquetRows(fetched), expected);
    }
    const kpiKeys = loadSqlFiles(SQL_DIR)
      .filter((f) => f.stage === 'kpis')
      .map((f) => `team/lake/marts/${f.name}.parquet`);
    const keys = await listKeys(moto, 'mketl-parity', 'team/lake/');
    const parquetKeys = keys.filter((k) => k.endsWith('.parquet'));
    const masterKeys = parquetKeys.filter((k) => k.startsWith('team/lake/curated/'));
    expect(masterKeys.length).toBeGreaterThan(1);
    for (const k of masterKeys) expect(k).toMatch(/^team\/lake\/curated\/campaign_daily\/date=\d{4}-\d{2}-\d{2}\/campaign_daily\.parquet$/);
    expect(parquetKeys.filter((k) => !k.startsWith('team/lake/curated/'))).toEqual(kpiKeys.sort());
    expect(keys.filter((k) => k.endsWith('.csv'))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `team/lake/raw/ads/run=r-s3-parity/part-0000${n}.csv`),
    );
    const report = await cli(['report', '--lake', 's3://mketl-parity/team/lake', '--sql-dir', SQL_DIR], remote, env);
    expect(report.code).toBe(0);
    expect(report.stdout).toBe(l.stdout);
  });

  it('processes more than 1,000 raw objects (paginated listing), then nothing new on a second run', async () => {
    const cwd = tempDir('s3-many');
    const lake = ['--lake', 's3://mketl-many/l', '--sql-dir', SQL_DIR];
    const gen = await cli(
      ['generate', '--rows', '1100', '--batch-rows', '1', '--from', '2026-01-01', '--to', '2026-01-31', ...lake],
      cwd,
      env,
    );
    expect(gen.code).toBe(0);
    const first = await cli(['transform', ...lake], cwd, env);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/transform done\s+new_files=1,100 raw_rows=1,100 master_rows=1,100/);
    // The staging copies are gone after a successful run.
    expect(fs.readdirSync(path.join(cwd, 'data/state/staging'))).toEqual([]);
    const second = await cli(['transform', ...lake], cwd, env);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('no new raw files');
    expect(second.stderr).toMatch(/new_files=0 raw_rows=0 master_rows=1,100/);
    expect(await parquetRows(path.join(cwd, 'data/output/curated/campaign_daily/*/campaign_daily.parquet'))).toHaveLength(1100);
  });

  it('--s3-read sdk is honoured and logged', async () => {
    const cwd = tempDir('s3-sdk');
    const r = await cli(['transform', '--lake', 's3://mketl-parity/team/lake', '--s3-read', 'sdk', '--sql-dir', SQL_DIR], cwd, env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('S3 reads: AWS SDK downloads to a staging folder (--s3-read sdk)');
    expect(r.stderr).toMatch(/new_files=5 raw_rows=3,000/);
  });

  it('never prints the access key, secret or session token, nor the SDK Node-version warning', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    for (const o of outputs) {
      expect(o.stderr).not.toContain('NodeVersionSupportWarning');
      for (const secret of [FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN]) {
        expect(o.stdout).not.toContain(secret);
        expect(o.stderr).not.toContain(secret);
      }
    }
  });
});
