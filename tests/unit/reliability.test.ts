// Small pieces of the reliability work: the temp-file sweep spares live writers, --s3-max-attempts is validated,
// the DuckDB sandbox lists the right folders, and unsafe keys are told apart.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_S3_MAX_ATTEMPTS, resolveConfig } from '../../src/config.js';
import { isSafeKey } from '../../src/lake/lake.js';
import { removeStaleTemp, tempPathFor } from '../../src/lake/temp.js';
import { allowedDirectories } from '../../src/pipeline/sandbox.js';
import { tempDir } from '../helpers/tmp.js';

describe('removeStaleTemp', () => {
  it("removes a dead writer's temp files, keeps live writers' and ordinary files", async () => {
    const dir = tempDir('sweep');
    fs.mkdirSync(path.join(dir, 'a/b'), { recursive: true });
    const dead = path.join(dir, 'a/b/x.parquet.mketl-tmp-999999-dead');
    const deadPrefix = path.join(dir, 'a/.mketl-tmp-999998-abcd-part-00001.csv');
    const mine = tempPathFor(path.join(dir, 'a/y.parquet'));
    const live = path.join(dir, `a/z.csv.mketl-tmp-${process.ppid}-live`);
    const plain = path.join(dir, 'a/b/real.parquet');
    for (const f of [dead, deadPrefix, mine, live, plain]) fs.writeFileSync(f, 'x');
    expect((await removeStaleTemp([dir, path.join(dir, 'missing')])).sort()).toEqual([deadPrefix, dead].sort());
    for (const f of [mine, live, plain]) expect(fs.existsSync(f)).toBe(true);
  });
});

describe('reliability configuration', () => {
  it('--s3-max-attempts defaults to 3 and accepts 1..20', () => {
    expect(resolveConfig({}, {}).s3MaxAttempts).toBe(DEFAULT_S3_MAX_ATTEMPTS);
    expect(DEFAULT_S3_MAX_ATTEMPTS).toBe(3);
    expect(resolveConfig({ s3MaxAttempts: '5' }, {}).s3MaxAttempts).toBe(5);
    for (const bad of [0, 21, 2.5, 'many']) {
      expect(() => resolveConfig({ s3MaxAttempts: bad }, {})).toThrow(/--s3-max-attempts must be a whole number from 1 to 20/);
    }
  });

  it('SQL files may touch the state folder, the output folder and the lake only', () => {
    const local = resolveConfig({ lake: '/l', state: '/s/w.duckdb', outputDir: '/o' }, {});
    expect(allowedDirectories(local)).toEqual(['/s/', '/o/', '/l/']);
    const s3 = resolveConfig({ lake: 's3://bkt/p/q', state: '/s/w.duckdb', outputDir: '/o' }, {});
    expect(allowedDirectories(s3)).toEqual(['/s/', '/o/', 's3://bkt/p/q/']);
  });

  it('tells keys that could escape a folder from ordinary ones', () => {
    for (const key of ['raw/ads/run=1/part-00001.csv', "raw/ads/run=q/it's.csv", 'raw/ads/a..b.csv']) expect(isSafeKey(key)).toBe(true);
    for (const key of ['raw/ads/../../x.csv', '/etc/passwd', 'raw/ads/%2e%2e/%2E%2E/x.csv', 'raw\\ads\\..\\x.csv', 'raw/./x.csv', '']) {
      expect(isSafeKey(key)).toBe(false);
    }
  });
});
