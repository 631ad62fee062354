// The S3 lake in-process against moto: listing, multipart upload, staged reads, read-path choice, secret redaction.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3ReadMode } from '../../src/config.js';
import { createS3Secret, openEngine } from '../../src/engine/duckdb.js';
import { ConfigError } from '../../src/errors.js';
import { S3Lake, UPLOAD_PART_SIZE } from '../../src/lake/s3.js';
import { createLogger } from '../../src/log.js';
import { redact } from '../../src/redact.js';
import { FAKE_KEY_ID, FAKE_SECRET, FAKE_TOKEN, type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { tempDir } from '../helpers/tmp.js';

describe.skipIf(!motoAvailable())('S3Lake (moto)', () => {
  let moto: Moto;
  let logged = '';
  const opened: S3Lake[] = [];

  const open = async (readMode: S3ReadMode = 'auto', prefix = 'p/q'): Promise<S3Lake> => {
    const log = new PassThrough();
    log.on('data', (d) => {
      logged += d;
    });
    const lake = await S3Lake.open({
      bucket: 'mketl-lake',
      prefix,
      uri: `s3://mketl-lake/${prefix}`,
      endpoint: moto.endpoint,
      region: 'us-east-1',
      readMode,
      log: createLogger({ level: 'info', format: 'pretty', stream: log }),
    });
    opened.push(lake);
    return lake;
  };

  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(s3Env(moto))) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto.createBucket('mketl-lake');
  });

  afterAll(async () => {
    for (const lake of opened) await lake.close();
    await moto?.stop();
  });

  it('resolves the credentials once and registers them for redaction', async () => {
    const lake = await open();
    expect(lake.credentials.accessKeyId).toBe(FAKE_KEY_ID);
    expect(lake.credentials.sessionToken).toBe(FAKE_TOKEN);
    expect(redact(`id ${FAKE_KEY_ID} secret ${FAKE_SECRET} token ${FAKE_TOKEN}`)).toBe('id *** secret *** token ***');
  });

  it('writes under the prefix, lists relative keys sorted with size and ETag, reads back', async () => {
    const lake = await open();
    await lake.write('raw/ads/b.csv', 'bb');
    await lake.write('raw/ads/a.csv', 'a');
    await lake.write('other/x.csv', 'x');
    const listed = await lake.list('raw/ads/');
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['raw/ads/a.csv', 1],
      ['raw/ads/b.csv', 2],
    ]);
    expect(listed[0]?.etag).toMatch(/^[0-9a-f]{32}$/);
    expect((await lake.read('raw/ads/b.csv')).toString()).toBe('bb');
    // Another prefix in the same bucket sees none of it.
    expect(await (await open('auto', 'elsewhere')).list('raw/')).toEqual([]);
  });

  it('uploads a file larger than one part as a completed multipart upload', async () => {
    const lake = await open();
    const file = path.join(tempDir('s3-up'), 'big.bin');
    const bytes = randomBytes(UPLOAD_PART_SIZE * 2 + 12_345);
    fs.writeFileSync(file, bytes);
    await lake.upload('marts/big.parquet', file);
    const [object] = await lake.list('marts/');
    expect(object?.size).toBe(bytes.length);
    expect(object?.etag).toMatch(/-3$/);
    expect((await lake.read('marts/big.parquet')).equals(bytes)).toBe(true);
  });

  it('uploads a file of at most one part with a single PutObject (a plain MD5 ETag, not a multipart one)', async () => {
    const lake = await open();
    const dir = tempDir('s3-up');
    for (const [name, size] of [
      ['small.parquet', 12_345],
      ['one-part.parquet', UPLOAD_PART_SIZE],
    ] as const) {
      const bytes = randomBytes(size);
      fs.writeFileSync(path.join(dir, name), bytes);
      await lake.upload(`marts/${name}`, path.join(dir, name));
      const object = (await lake.list('marts/')).find((o) => o.key === `marts/${name}`);
      expect(object?.etag, name).toMatch(/^[0-9a-f]{32}$/);
      expect((await lake.read(`marts/${name}`)).equals(bytes), name).toBe(true);
    }
  });

  it('an upload to a missing bucket fails with a ConfigError and leaves nothing behind', async () => {
    const file = path.join(tempDir('s3-up'), 'small.bin');
    fs.writeFileSync(file, 'x');
    const lake = await S3Lake.open({
      bucket: 'mketl-missing',
      prefix: '',
      uri: 's3://mketl-missing',
      endpoint: moto.endpoint,
      region: 'us-east-1',
      readMode: 'sdk',
      log: createLogger({ level: 'silent', format: 'pretty' }),
    });
    opened.push(lake);
    await expect(lake.upload('marts/x.parquet', file)).rejects.toThrow(/S3 bucket "mketl-missing" does not exist/);
  });

  it('auto falls back to SDK downloads, logs why, and stages the listed objects with their bytes', async () => {
    const lake = await open('auto');
    const engine = await openEngine({ path: ':memory:' });
    try {
      await lake.prepareEngine(engine);
    } finally {
      engine.close();
    }
    expect(logged).toMatch(/S3 reads: AWS SDK downloads to a staging folder \(auto: httpfs cannot load\)\s+reason=.*httpfs/);
    const keys = Array.from({ length: 40 }, (_, i) => `raw/ads/run=s/part-${String(i).padStart(5, '0')}.csv`);
    await Promise.all(keys.map((k, i) => lake.write(k, `n\n${i}\n`)));
    await lake.list('raw/ads/run=s/');
    const staging = tempDir('s3-stage');
    const paths = await lake.materialize(keys, staging);
    expect([...paths.keys()]).toEqual(keys);
    keys.forEach((k, i) => {
      const p = paths.get(k) as string;
      expect(p.startsWith(`${staging}${path.sep}`)).toBe(true);
      expect(fs.readFileSync(p, 'utf8')).toBe(`n\n${i}\n`);
    });
  });

  it('refuses keys that would escape the staging folder', async () => {
    const lake = await open('sdk');
    await expect(lake.materialize(['../../etc/passwd'], tempDir('s3-stage'))).rejects.toThrow(/unsafe lake key/);
  });

  it('--s3-read httpfs fails with the offline install instructions when httpfs cannot load', async () => {
    const lake = await open('httpfs');
    const engine = await openEngine({ path: ':memory:' });
    try {
      const error = await lake.prepareEngine(engine).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/httpfs extension cannot be loaded/);
      expect((error as ConfigError).hint).toMatch(
        /extension_directory.*INSTALL '\/path\/to\/httpfs\.duckdb_extension'.*INSTALL httpfs FROM/,
      );
    } finally {
      engine.close();
    }
  });

  it('a failed CREATE SECRET names no credential (here: no httpfs, so no s3 secret type)', async () => {
    const engine = await openEngine({ path: ':memory:' });
    try {
      const error = await createS3Secret(engine, {
        keyId: 'MKETLSECRETPROBEID',
        secret: 'mketl-probe-secret-value',
        sessionToken: 'mketl-probe-token-value',
        region: 'us-east-1',
        endpoint: moto.endpoint,
      }).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      const text = `${(error as Error).message} ${String((error as Error).cause ?? '')}`;
      expect(text).toMatch(/cannot create the DuckDB S3 secret/);
      for (const value of ['MKETLSECRETPROBEID', 'mketl-probe-secret-value', 'mketl-probe-token-value']) expect(text).not.toContain(value);
    } finally {
      engine.close();
    }
  });
});
