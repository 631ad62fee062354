// A raw file that reappears under the same key on an S3 lake (moto): the ETag tells an identical re-upload (skipped
// silently) from changed content (reported by key, not loaded a second time).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config.js';
import { withEngine } from '../../src/engine/duckdb.js';
import { S3Lake } from '../../src/lake/s3.js';
import { transformStep } from '../../src/pipeline/steps.js';
import { captureLog as capture } from '../helpers/capture-log.js';
import { SQL_DIR } from '../helpers/cli.js';
import { HEADER } from '../helpers/dirty.js';
import { type Moto, motoAvailable, s3Env, startMoto } from '../helpers/moto.js';
import { tempDir } from '../helpers/tmp.js';

const row = (id: string, impressions = '500'): string =>
  `${id},n,2026-03-02,Google Ads,Mujer 18-25,${impressions},5,0.01,1.00,5.00,1,30.00,7.5`;

describe.skipIf(!motoAvailable())('a raw file re-uploaded under the same key (S3)', () => {
  let moto: Moto;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    moto = await startMoto();
    for (const [k, v] of Object.entries(s3Env(moto))) {
      saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto.createBucket('mketl-reupload');
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto?.stop();
  });

  it('skips identical bytes silently and reports changed bytes by key without loading them', async () => {
    const dir = tempDir('s3-reupload');
    const config = resolveConfig({
      lake: 's3://mketl-reupload/l',
      state: path.join(dir, 'state', 'warehouse.duckdb'),
      outputDir: path.join(dir, 'out'),
      sqlDir: SQL_DIR,
      s3Endpoint: moto.endpoint,
      s3Region: 'us-east-1',
    });
    const writer = await S3Lake.open({
      bucket: 'mketl-reupload',
      prefix: 'l',
      uri: 's3://mketl-reupload/l',
      endpoint: moto.endpoint,
      region: 'us-east-1',
      readMode: 'sdk',
      log: capture().log,
    });
    const key = 'raw/ads/run=x/part-00001.csv';
    const original = `${HEADER}\n${row('K1')}\n${row('K2')}\n`;
    const master = () =>
      withEngine({ path: config.state }, (e) => e.all('select campaign_id, impressions, raw_file from campaign_daily order by 1'));
    try {
      await writer.write(key, original);
      const first = await transformStep(config, { runId: 'r1', runDate: '2026-06-30', fullRefresh: false }, capture().log);
      expect(first.newFiles).toBe(1);
      const loaded = await master();

      await writer.write(key, original);
      const same = capture();
      const again = await transformStep(config, { runId: 'r2', runDate: '2026-06-30', fullRefresh: false }, same.log);
      expect(again.changedFiles).toBe(0);
      expect(same.lines.filter((l) => l.startsWith('WARN'))).toEqual([]);

      await writer.write(key, `${HEADER}\n${row('K1', '900')}\n${row('K3')}\n`);
      const changed = capture();
      const third = await transformStep(config, { runId: 'r3', runDate: '2026-06-30', fullRefresh: false }, changed.log);
      expect(third.changedFiles).toBe(1);
      expect(third.newFiles).toBe(0);
      expect(changed.lines).toContainEqual(
        expect.stringMatching(/^WARN raw file changed since it was loaded; not loaded again .*key=raw\/ads\/run=x\/part-00001\.csv /),
      );
      expect(await master()).toEqual(loaded);
    } finally {
      await writer.close();
    }
  });
});
