import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSafeKey } from '../../src/lake/lake.js';
import { LocalLake } from '../../src/lake/local.js';
import { tempDir } from '../helpers/tmp.js';

describe('LocalLake', () => {
  it('writes, lists sorted with size and etag, and reads back', async () => {
    const lake = new LocalLake(tempDir('lake'));
    await lake.write('raw/ads/b.csv', 'bb');
    await lake.write('raw/ads/a.csv', 'a');
    await lake.write('other/x.csv', 'x');
    const listed = await lake.list('raw/ads/');
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['raw/ads/a.csv', 1],
      ['raw/ads/b.csv', 2],
    ]);
    expect((await lake.read('raw/ads/b.csv')).toString()).toBe('bb');
  });

  it('never lists temporary files and leaves none after a write', async () => {
    const root = tempDir('lake');
    const lake = new LocalLake(root);
    fs.mkdirSync(path.join(root, 'raw/ads'), { recursive: true });
    fs.writeFileSync(path.join(root, 'raw/ads/.mketl-tmp-123-part.csv'), 'half');
    await lake.write('raw/ads/part.csv', 'whole');
    expect((await lake.list('raw/')).map((o) => o.key)).toEqual(['raw/ads/part.csv']);
  });

  it('returns [] for a prefix that does not exist', async () => {
    expect(await new LocalLake(tempDir('lake')).list('raw/ads/')).toEqual([]);
  });

  it('rejects keys that would escape the folder', () => {
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a/%2e%2e/x', 'a\\b']) expect(() => assertSafeKey(key)).toThrow(/unsafe/);
    expect(() => assertSafeKey('raw/ads/run=1/part-1.csv')).not.toThrow();
  });
});
