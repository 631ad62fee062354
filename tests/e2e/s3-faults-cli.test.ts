// S3 faults through the CLI, with moto behind our fault proxy: bounded retries that name the key, fail-fast on
// configuration errors (counted at the proxy), and SIGKILL during the download and during the upload.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, SQL_DIR } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { startCli } from '../helpers/spawn.js';
import { readState, type StateSnapshot, tempFilesUnder } from '../helpers/state.js';
import { tempDir } from '../helpers/tmp.js';

const GENERATE = [
  'generate',
  '--rows',
  '600',
  '--batch-rows',
  '100',
  '--from',
  '2026-01-01',
  '--to',
  '2026-01-31',
  '--seed',
  '5',
  '--run-id',
  'r1',
];
const STATE = 'data/state/warehouse.duckdb';

describe.skipIf(!motoAvailable())('S3 faults through the CLI (moto behind a fault proxy)', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let env: Record<string, string | undefined>;
  let reference: StateSnapshot;

  const transform = (bucket: string, cwd: string, extra: string[] = []): Promise<CliResult> =>
    runCli(['transform', '--lake', `s3://${bucket}/lake`, '--s3-endpoint', proxy.url, '--sql-dir', SQL_DIR, ...extra], { cwd, env });
  const count = (pattern: RegExp): number => proxy.requests.filter((r) => pattern.test(r)).length;

  /** A new bucket holding the same generated raw files (same seed and run id, so the same master). */
  async function bucketWithData(bucket: string): Promise<void> {
    await moto.createBucket(bucket);
    const r = await runCli([...GENERATE, '--lake', `s3://${bucket}/lake`], { cwd: tempDir('s3-cli-gen'), env });
    expect(r.code, r.stderr).toBe(0);
  }

  beforeAll(async () => {
    moto = await startMoto();
    env = s3Env(moto);
    proxy = await startFaultProxy(moto.endpoint);
    await bucketWithData('mketl-ref');
    const cwd = tempDir('s3-cli-ref');
    const r = await transform('mketl-ref', cwd);
    expect(r.code, r.stderr).toBe(0);
    reference = await readState(path.join(cwd, STATE));
    expect(reference.manifest).toHaveLength(6);
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('503 SlowDown that never ends: 3 attempts by default, then exit 1 naming the key; nothing marked processed', async () => {
    await bucketWithData('mketl-slowdown');
    const key = /^GET \/mketl-slowdown\/lake\/raw\/ads\/run%3Dr1\/part-00002\.csv/;
    proxy.setRules([{ method: 'GET', path: /part-00002\.csv/, action: { kind: 'status', status: 503 }, times: 1000 }]);
    const cwd = tempDir('s3-cli-503');
    let r = await transform('mketl-slowdown', cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: S3 GetObject on s3:\/\/mketl-slowdown\/lake\/raw\/ads\/run=r1\/part-00002\.csv failed: SlowDown/m);
    expect(count(key)).toBe(3);
    expect(await readState(path.join(cwd, STATE))).toEqual({ master: null, masterRows: 0, manifest: [] });

    // Configurable by flag and by MKETL_S3_MAX_ATTEMPTS (500s here: the SDK backs off longer after throttling).
    proxy.setRules([{ method: 'GET', path: /part-00002\.csv/, action: { kind: 'status', status: 500 }, times: 1000 }]);
    r = await transform('mketl-slowdown', cwd, ['--s3-max-attempts', '2']);
    expect(r.code).toBe(1);
    expect(count(key)).toBe(3 + 2);
    r = await runCli(['transform', '--lake', 's3://mketl-slowdown/lake', '--s3-endpoint', proxy.url, '--sql-dir', SQL_DIR], {
      cwd,
      env: { ...env, MKETL_S3_MAX_ATTEMPTS: '1' },
    });
    expect(r.code).toBe(1);
    expect(count(key)).toBe(3 + 2 + 1);
    expect((await readState(path.join(cwd, STATE))).manifest).toEqual([]);

    // 500s and connection resets that stop within the attempts are retried and the run succeeds.
    proxy.setRules([
      { method: 'GET', path: /part-00002\.csv/, action: { kind: 'reset' }, times: 2 },
      { method: 'GET', path: /part-00003\.csv/, action: { kind: 'status', status: 500 }, times: 2 },
    ]);
    r = await transform('mketl-slowdown', cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.injected()).toBeGreaterThanOrEqual(4);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    proxy.setRules([]);
  });

  it.each([
    ['AccessDenied', 403, 'AccessDenied', 2, /^error: access denied: ListObjectsV2 on s3:\/\/mketl-ref/m],
    [
      'wrong credentials',
      403,
      'InvalidAccessKeyId',
      2,
      /^error: S3 at .* rejected the credentials for bucket "mketl-ref" \(InvalidAccessKeyId\)/m,
    ],
    ['a missing bucket', 404, 'NoSuchBucket', 2, /^error: S3 bucket "mketl-ref" does not exist/m],
  ] as const)('%s fails fast: one request, no retry, before anything changes', async (_label, status, code, exit, message) => {
    proxy.setRules([{ method: 'GET', path: /^\/mketl-ref\/\?list-type=2/, action: { kind: 'status', status, code }, times: 1000 }]);
    const before = count(/^GET \/mketl-ref\/\?list-type=2/);
    const cwd = tempDir('s3-cli-fast');
    const r = await transform('mketl-ref', cwd);
    proxy.setRules([]);
    expect(r.code).toBe(exit);
    expect(r.stderr).toMatch(message);
    expect(count(/^GET \/mketl-ref\/\?list-type=2/) - before).toBe(1);
    expect(await readState(path.join(cwd, STATE))).toEqual({ master: null, masterRows: 0, manifest: [] });
  });

  it('SIGKILL during the download: nothing processed; the next run cleans the staging folder and loads everything', async () => {
    await bucketWithData('mketl-kill-get');
    proxy.setRules([{ method: 'GET', path: /\/raw\/ads\/.*\.csv/, action: { kind: 'delay', ms: 60_000 }, times: 1000 }]);
    const cwd = tempDir('s3-cli-kill-get');
    const running = startCli(
      ['transform', '--lake', 's3://mketl-kill-get/lake', '--s3-endpoint', proxy.url, '--sql-dir', SQL_DIR, '--log-level', 'debug'],
      {
        cwd,
        env: env as Record<string, string>,
      },
    );
    try {
      await running.waitFor(/DEBUG staging raw files/);
      for (let i = 0; i < 300 && count(/^GET \/mketl-kill-get\/lake\/raw\/ads\/.*\.csv/) === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(count(/^GET \/mketl-kill-get\/lake\/raw\/ads\/.*\.csv/)).toBeGreaterThan(0);
    } finally {
      running.child.kill('SIGKILL');
    }
    expect((await running.done).signal).toBe('SIGKILL');
    proxy.setRules([]);
    expect(await readState(path.join(cwd, STATE))).toEqual({ master: null, masterRows: 0, manifest: [] });
    expect(fs.readdirSync(path.join(cwd, 'data/state/staging'))).toHaveLength(1); // the dead run's staging folder

    const r = await transform('mketl-kill-get', cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cleaned up after an interrupted run .*staging_folders=1/);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    expect(fs.readdirSync(path.join(cwd, 'data/state/staging'))).toEqual([]);
    expect(tempFilesUnder(cwd)).toEqual([]);
  });

  it('SIGKILL during the upload: state as after, no object under a final name, stale multipart uploads aborted next run', async () => {
    await bucketWithData('mketl-kill-put');
    proxy.setRules([{ method: 'PUT', path: /\/lake\/(curated|marts)\//, action: { kind: 'delay', ms: 60_000 }, times: 1000 }]);
    const cwd = tempDir('s3-cli-kill-put');
    const running = startCli(
      ['transform', '--lake', 's3://mketl-kill-put/lake', '--s3-endpoint', proxy.url, '--sql-dir', SQL_DIR, '--log-level', 'debug'],
      {
        cwd,
        env: env as Record<string, string>,
      },
    );
    try {
      await running.waitFor(/DEBUG uploading {2}key=curated\//);
      for (let i = 0; i < 300 && count(/^PUT \/mketl-kill-put\/lake\/curated\//) === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(count(/^PUT \/mketl-kill-put\/lake\/curated\//)).toBeGreaterThan(0);
    } finally {
      running.child.kill('SIGKILL');
    }
    expect((await running.done).signal).toBe('SIGKILL');
    proxy.setRules([]);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    const listed = await (await fetch(`${moto.endpoint}/mketl-kill-put?list-type=2&prefix=lake/`)).text();
    expect(listed).not.toMatch(/<Key>lake\/(curated|marts)\//);
    // What a kill in the middle of a large multipart upload leaves: an upload that was started, never completed.
    const started = await fetch(
      `${moto.endpoint}/mketl-kill-put/lake/curated/campaign_daily/date=2026-01-01/campaign_daily.parquet?uploads`,
      {
        method: 'POST',
      },
    );
    expect(started.ok).toBe(true);

    const r = await transform('mketl-kill-put', cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cleaned up after an interrupted run .*multipart_uploads=1/);
    expect(await (await fetch(`${moto.endpoint}/mketl-kill-put?uploads`)).text()).not.toContain('<Upload>');
    const published = await (await fetch(`${moto.endpoint}/mketl-kill-put?list-type=2&prefix=lake/`)).text();
    const kpis = fs.readdirSync(path.join(SQL_DIR, 'kpis')).filter((f) => f.endsWith('.sql')).length;
    expect(published.match(/<Key>lake\/marts\/[^<]+\.parquet<\/Key>/g)).toHaveLength(kpis);
    expect(published.match(/<Key>lake\/curated\/campaign_daily\/date=[^<]+\/campaign_daily\.parquet<\/Key>/g)?.length).toBeGreaterThan(0);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    expect(tempFilesUnder(cwd)).toEqual([]);
  });
});
