// S3 through a fault-injecting proxy in front of moto: 5xx answers, bodies cut mid-way and flipped bytes are retried or refused.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { S3Lake, UPLOAD_PART_SIZE } from '../../src/lake/s3.js';
import { createLogger, type Logger } from '../../src/log.js';
import { generateStep, transformStep } from '../../src/pipeline/steps.js';
import { SQL_DIR } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { tempDir } from '../helpers/tmp.js';

const GEN = { rows: 600, batchRows: 100, from: '2026-01-01', to: '2026-01-31', seed: 5 };

describe.skipIf(!motoAvailable())('S3 faults (moto behind a fault proxy)', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let logged = '';
  let log: Logger;

  const config = (cwd: string, bucket: string) =>
    resolveConfig({
      lake: `s3://${bucket}/lake`,
      s3Endpoint: proxy.url,
      s3Region: 'us-east-1',
      state: path.join(cwd, 'state/warehouse.duckdb'),
      outputDir: path.join(cwd, 'out'),
      sqlDir: SQL_DIR,
    });

  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(s3Env(moto))) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    proxy = await startFaultProxy(moto.endpoint);
    for (const bucket of ['mketl-retry', 'mketl-corrupt', 'mketl-upload']) await moto.createBucket(bucket);
  });

  beforeEach(() => {
    logged = '';
    const stream = new PassThrough();
    stream.on('data', (d) => {
      logged += d;
    });
    log = createLogger({ level: 'info', format: 'pretty', stream });
  });

  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  it('retries 503 SlowDown on upload and 500, cut bodies and flipped bytes on download; loads every row once', async () => {
    const cwd = tempDir('s3-faults');
    const cfg = config(cwd, 'mketl-retry');
    proxy.setRules([{ method: 'PUT', path: /part-0000[23]\.csv/, action: { kind: 'status', status: 503 }, times: 2 }]);
    await generateStep(cfg, { ...GEN, runId: 'faulty' }, log);
    expect(proxy.injected()).toBe(2);
    proxy.setRules([
      { method: 'GET', path: /part-00001\.csv/, action: { kind: 'status', status: 500 }, times: 1 },
      { method: 'GET', path: /part-00002\.csv/, action: { kind: 'reset-mid-body' }, times: 1 },
      { method: 'GET', path: /part-00003\.csv/, action: { kind: 'flip-byte' }, times: 1 },
    ]);
    const before = proxy.injected();
    const result = await transformStep(cfg, { runId: 't1', runDate: '2026-02-01', fullRefresh: false }, log);
    expect(proxy.injected() - before).toBe(3);
    expect(result.newFiles).toBe(6);
    expect(result.rawRows).toBe(600);
    expect(result.masterRows).toBe(600);
    expect(logged.match(/WARN retrying a broken S3 download/g)).toHaveLength(2);
    expect(fs.readdirSync(path.join(cwd, 'state/staging'))).toEqual([]);
  });

  it('refuses an object that keeps arriving corrupted: one clear error, nothing recorded, a clean rerun loads it', async () => {
    const cwd = tempDir('s3-faults');
    const cfg = config(cwd, 'mketl-corrupt');
    proxy.setRules([]);
    await generateStep(cfg, { ...GEN, runId: 'bad' }, log);
    proxy.setRules([{ method: 'GET', path: /part-00004\.csv/, action: { kind: 'flip-byte' }, times: 100 }]);
    const options = { runId: 't2', runDate: '2026-02-01', fullRefresh: false };
    await expect(transformStep(cfg, options, log)).rejects.toThrow(
      /GetObject on s3:\/\/mketl-corrupt\/lake\/raw\/ads\/run=bad\/part-00004\.csv failed: .*Checksum mismatch/,
    );
    proxy.setRules([]);
    const rerun = await transformStep(cfg, { ...options, runId: 't3' }, log);
    expect(rerun.newFiles).toBe(6);
    expect(rerun.masterRows).toBe(600);
  });

  it('retries a failed multipart part; a part that keeps failing aborts the upload and publishes nothing', async () => {
    const lake = await S3Lake.open({
      bucket: 'mketl-upload',
      prefix: 'lake',
      uri: 's3://mketl-upload/lake',
      endpoint: proxy.url,
      region: 'us-east-1',
      readMode: 'sdk',
      log,
    });
    try {
      const file = path.join(tempDir('s3-faults'), 'big.parquet');
      const bytes = randomBytes(UPLOAD_PART_SIZE + 1000);
      fs.writeFileSync(file, bytes);
      proxy.setRules([{ method: 'PUT', path: /partNumber=2/, action: { kind: 'status', status: 500 }, times: 1 }]);
      await lake.upload('marts/retried.parquet', file);
      expect((await lake.read('marts/retried.parquet')).equals(bytes)).toBe(true);

      proxy.setRules([{ method: 'PUT', path: /partNumber=2/, action: { kind: 'status', status: 500 }, times: 100 }]);
      await expect(lake.upload('marts/broken.parquet', file)).rejects.toThrow(
        /upload on s3:\/\/mketl-upload\/lake\/marts\/broken\.parquet failed/,
      );
      proxy.setRules([]);
      expect((await lake.list('marts/')).map((o) => o.key)).toEqual(['marts/retried.parquet']);
      const uploads = await (await fetch(`${moto.endpoint}/mketl-upload?uploads`)).text();
      expect(uploads).toContain('<ListMultipartUploadsResult');
      expect(uploads).not.toContain('<Upload>');
    } finally {
      await lake.close();
    }
  });
});
