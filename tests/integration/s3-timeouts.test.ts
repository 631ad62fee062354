// A request that hangs is cut at the request timeout and retried like a 5xx; one that always hangs fails naming the key.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Lake } from '../../src/lake/s3.js';
import { createLogger } from '../../src/log.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';

describe.skipIf(!motoAvailable())('S3 timeouts (moto behind a fault proxy)', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let lake: S3Lake;

  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(s3Env(moto))) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    proxy = await startFaultProxy(moto.endpoint);
    await moto.createBucket('mketl-timeout');
    lake = await S3Lake.open({
      bucket: 'mketl-timeout',
      prefix: 'lake',
      uri: 's3://mketl-timeout/lake',
      endpoint: proxy.url,
      region: 'us-east-1',
      readMode: 'sdk',
      requestTimeoutMs: 500,
      log: createLogger({ level: 'silent', format: 'pretty', stream: new PassThrough() }),
    });
    await lake.write('raw/ads/run=t/part-00001.csv', 'a,b\n1,2\n');
  });

  afterAll(async () => {
    await lake?.close();
    await proxy?.close();
    await moto?.stop();
  });

  const gets = (): number => proxy.requests.filter((r) => r.startsWith('GET /mketl-timeout/lake/raw/ads/run%3Dt/part-00001.csv')).length;

  it('retries a request that hangs past the timeout, and succeeds', async () => {
    proxy.setRules([{ method: 'GET', path: /part-00001\.csv/, action: { kind: 'delay', ms: 10_000 }, times: 2 }]);
    const before = gets();
    expect((await lake.read('raw/ads/run=t/part-00001.csv')).toString()).toBe('a,b\n1,2\n');
    expect(gets() - before).toBe(3);
  });

  it('gives up after 3 attempts that all hang, naming the key', async () => {
    proxy.setRules([{ method: 'GET', path: /part-00001\.csv/, action: { kind: 'delay', ms: 10_000 }, times: 100 }]);
    const before = gets();
    await expect(lake.read('raw/ads/run=t/part-00001.csv')).rejects.toThrow(
      /mketl-timeout.*(TimeoutError|timed out|ETIMEDOUT|RequestTimeout)|part-00001/,
    );
    expect(gets() - before).toBe(3);
    proxy.setRules([]);
  });
});
