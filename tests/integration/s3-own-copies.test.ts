// A run that generates into S3 reads its own batches from the local copies it kept, never downloading them back;
// anything it did not write, or that changed since, is still downloaded and verified.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { S3Lake } from '../../src/lake/s3.js';
import { createLogger } from '../../src/log.js';
import { runStagingDir, stagingRoot } from '../../src/pipeline/cleanup.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { SQL_DIR } from '../helpers/cli.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { tempDir } from '../helpers/tmp.js';

const silent = createLogger({ level: 'silent', format: 'pretty' });
const BUCKET = 'mketl-own';

describe.skipIf(!motoAvailable())('S3 lake: a run reads its own writes from local copies (moto behind a proxy)', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  const opened: S3Lake[] = [];

  const open = async (prefix: string): Promise<S3Lake> => {
    const lake = await S3Lake.open({
      bucket: BUCKET,
      prefix,
      uri: `s3://${BUCKET}/${prefix}`,
      endpoint: proxy.url,
      region: 'us-east-1',
      readMode: 'sdk',
      log: silent,
    });
    opened.push(lake);
    return lake;
  };
  /** A pipeline config on the bucket behind the proxy, with state and outputs in a fresh folder. */
  const runConfig = (prefix: string, label: string) => {
    const dir = tempDir(label);
    return resolveConfig({
      lake: `s3://${BUCKET}/${prefix}`,
      s3Endpoint: proxy.url,
      s3Region: 'us-east-1',
      s3Read: 'sdk',
      state: path.join(dir, 'state/warehouse.duckdb'),
      outputDir: path.join(dir, 'out'),
      sqlDir: SQL_DIR,
    });
  };
  /** GETs of objects (not listings) seen by the proxy since the last reset. */
  const objectGets = (): string[] =>
    proxy.requests.filter((r) => r.startsWith('GET ') && !r.includes('list-type') && !r.includes('?uploads'));

  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(s3Env(moto))) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    proxy = await startFaultProxy(moto.endpoint);
    await moto.createBucket(BUCKET);
  });

  beforeEach(() => {
    proxy.setRules([]);
    proxy.requests.length = 0;
  });

  afterAll(async () => {
    for (const lake of opened) await lake.close();
    await proxy?.close();
    await moto?.stop();
  });

  it('stages its own writes without a GET; an object another writer replaced since is downloaded', async () => {
    const lake = await open('copies');
    const staging = tempDir('own-copies');
    lake.keepCopies(staging);
    const keys = ['raw/ads/run=o/part-00001.csv', 'raw/ads/run=o/part-00002.csv', 'raw/ads/run=o/part-00003.csv'];
    for (const [i, key] of keys.entries()) await lake.write(key, `n\n${i}\n`);
    // Another process replaces the second object with other bytes after this one wrote it.
    await (await open('copies')).write(keys[1] as string, 'n\n1-changed\n');
    await lake.list('raw/ads/');
    proxy.requests.length = 0;
    const paths = await lake.materialize(keys, staging);
    expect(objectGets()).toEqual([expect.stringContaining('part-00002.csv')]);
    expect(keys.map((k) => fs.readFileSync(paths.get(k) as string, 'utf8'))).toEqual(['n\n0\n', 'n\n1-changed\n', 'n\n2\n']);
  });

  it('copies are used only in the staging folder they were kept for', async () => {
    const lake = await open('elsewhere');
    lake.keepCopies(tempDir('own-copies'));
    await lake.write('raw/ads/run=e/part-00001.csv', 'n\n7\n');
    await lake.list('raw/ads/');
    proxy.requests.length = 0;
    const other = tempDir('own-staging');
    const paths = await lake.materialize(['raw/ads/run=e/part-00001.csv'], other);
    expect(objectGets()).toHaveLength(1);
    expect(fs.readFileSync(paths.get('raw/ads/run=e/part-00001.csv') as string, 'utf8')).toBe('n\n7\n');
  });

  it('a PutObject that fails leaves no copy behind', async () => {
    const lake = await open('denied');
    const staging = tempDir('own-copies');
    lake.keepCopies(staging);
    proxy.setRules([{ method: 'PUT', path: /part-00001\.csv/, action: { kind: 'status', status: 403 }, times: 1 }]);
    await expect(lake.write('raw/ads/run=d/part-00001.csv', 'n\n1\n')).rejects.toThrow(/PutObject/);
    expect(fs.existsSync(path.join(staging, 'raw/ads/run=d/part-00001.csv'))).toBe(false);
  });

  it('runPipeline on S3 loads every generated row without downloading a raw file, and leaves no staging folder', async () => {
    const config = runConfig('run', 'own-run');
    const gen = { rows: 600, batchRows: 100, from: '2026-01-01', to: '2026-01-31', seed: 5 };
    const options = { trigger: 'manual' as const, runDate: '2026-01-31', from: '2026-01-01', to: '2026-01-31', fullRefresh: false };
    const result = await runPipeline(
      config,
      { ...options, runId: 'own-1', command: 'test', retry: { retries: 0, delayMs: 1 }, generate: { ...gen, runId: 'own-1' } },
      silent,
    );
    expect(result.ok).toBe(true);
    expect(result.results.find((r) => r.name === 'transform')).toMatchObject({ rowsIn: 600, rowsOut: 600 });
    expect(objectGets().filter((r) => r.includes('.csv'))).toEqual([]);
    expect(fs.readdirSync(stagingRoot(config))).toEqual([]);
  });

  it('a run stopped after generating removes the copies it kept', async () => {
    const config = runConfig('stopped', 'own-stop');
    // The stop request arrives as generate ends, so no later task starts.
    const stop = new AbortController();
    let copiesWhenGenerated: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        if (String(chunk).includes('task generate done')) {
          copiesWhenGenerated = fs.readdirSync(runStagingDir(config, 'own-stop'), { recursive: true }).map(String);
          stop.abort();
        }
        done();
      },
    });
    const result = await runPipeline(
      config,
      {
        trigger: 'manual',
        runDate: '2026-01-31',
        from: '2026-01-01',
        to: '2026-01-31',
        fullRefresh: false,
        runId: 'own-stop',
        command: 'test',
        retry: { retries: 0, delayMs: 1 },
        signal: stop.signal,
        generate: { rows: 300, batchRows: 100, from: '2026-01-01', to: '2026-01-31', seed: 5, runId: 'own-stop' },
      },
      createLogger({ level: 'info', format: 'json', stream }),
    );
    expect(result.results.map((r) => [r.name, r.status])).toEqual([
      ['generate', 'Success'],
      ['ingest', 'NotExecuted'],
      ['transform', 'NotExecuted'],
      ['checks', 'NotExecuted'],
      ['publish', 'NotExecuted'],
      ['report', 'NotExecuted'],
    ]);
    expect(copiesWhenGenerated.filter((f) => f.endsWith('.csv'))).toHaveLength(3);
    expect(fs.readdirSync(stagingRoot(config))).toEqual([]);
  });
});
