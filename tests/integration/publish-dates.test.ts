// The master is published as one Parquet file per date: a run rewrites only the dates it changed, a failed publish
// is made good by the next run, and files of dates the master no longer has disappear.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, resolveConfig } from '../../src/config.js';
import { type Engine, withEngine } from '../../src/engine/duckdb.js';
import { createLogger } from '../../src/log.js';
import { transformStep } from '../../src/pipeline/steps.js';
import { SQL_DIR } from '../helpers/cli.js';
import { HEADER } from '../helpers/dirty.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger({ level: 'silent', format: 'pretty' });
const opts = (runId: string, fullRefresh = false) => ({ runId, runDate: '2026-06-30', fullRefresh });

const row = (id: string, date: string, impressions: number): string =>
  `${id},Name ${id},${date},Google Ads,Mujer 26-35,${impressions},5,0.01,1.00,5.00,1,30.00,7.5`;

function lakeFile(dir: string, key: string, lines: string[]): void {
  const file = path.join(dir, 'lake', ...key.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${HEADER}\n${lines.join('\n')}\n`);
}

function configIn(dir: string, sqlDir = SQL_DIR): Config {
  return resolveConfig({ lake: path.join(dir, 'lake'), state: path.join(dir, 'state/w.duckdb'), outputDir: path.join(dir, 'out'), sqlDir });
}

const inState = <T>(config: Config, fn: (engine: Engine) => Promise<T>): Promise<T> => withEngine({ path: config.state }, fn);

/** Per root (output folder, lake): the master's date folders. */
function dateFolders(dir: string): Record<string, string[]> {
  const list = (root: string) => fs.readdirSync(path.join(dir, root, 'curated/campaign_daily')).sort();
  return { out: list('out'), lake: list('lake') };
}

const inode = (dir: string, root: string, date: string): number =>
  fs.statSync(path.join(dir, root, `curated/campaign_daily/date=${date}/campaign_daily.parquet`)).ino;

/** The published master (read back from the output folder or the lake) next to the state's. */
async function publishedAndState(config: Config, root: string): Promise<{ published: string[]; state: string[] }> {
  const rowsOf = (sql: string) => inState(config, async (e) => (await e.all<{ r: string }>(sql)).map((x) => x.r));
  const glob = path.join(path.dirname(config.outputDir), root, 'curated/campaign_daily/*/campaign_daily.parquet');
  const cols = "campaign_id || ' ' || date || ' ' || impressions || ' ' || raw_file as r";
  return {
    published: await rowsOf(`select ${cols} from read_parquet('${glob}') order by r`),
    state: await rowsOf(`select ${cols} from campaign_daily order by r`),
  };
}

describe('publishing the master by date', () => {
  let dir: string;
  let config: Config;

  beforeAll(async () => {
    dir = tempDir('publish-dates');
    config = configIn(dir);
    lakeFile(dir, 'raw/ads/run=a/part-00001.csv', [row('A-1', '2026-03-01', 100), row('A-2', '2026-03-02', 200)]);
    await transformStep(config, opts('run-a'), log);
  });

  it('writes one file per date, locally and in the lake, holding exactly the master', async () => {
    expect(dateFolders(dir)).toEqual({ out: ['date=2026-03-01', 'date=2026-03-02'], lake: ['date=2026-03-01', 'date=2026-03-02'] });
    for (const root of ['out', 'lake']) {
      const { published, state } = await publishedAndState(config, root);
      expect(published).toEqual(state);
      expect(published).toHaveLength(2);
    }
  });

  it('rewrites only the dates a run changed', async () => {
    const before = { out: inode(dir, 'out', '2026-03-02'), lake: inode(dir, 'lake', '2026-03-02') };
    const changedBefore = inode(dir, 'out', '2026-03-01');
    // A newer batch: a new date, and a new version of A-1 on 2026-03-01.
    lakeFile(dir, 'raw/ads/run=b/part-00001.csv', [row('A-1', '2026-03-01', 111), row('B-1', '2026-03-03', 300)]);
    await transformStep(config, opts('run-b'), log);
    expect(dateFolders(dir).out).toEqual(['date=2026-03-01', 'date=2026-03-02', 'date=2026-03-03']);
    expect(dateFolders(dir).lake).toEqual(['date=2026-03-01', 'date=2026-03-02', 'date=2026-03-03']);
    expect({ out: inode(dir, 'out', '2026-03-02'), lake: inode(dir, 'lake', '2026-03-02') }).toEqual(before);
    expect(inode(dir, 'out', '2026-03-01')).not.toBe(changedBefore);
    for (const root of ['out', 'lake']) {
      const { published, state } = await publishedAndState(config, root);
      expect(published).toEqual(state);
      expect(published).toContain('A-1 2026-03-01 111 raw/ads/run=b/part-00001.csv');
    }
  });

  it('publishes on the next run what a failed publish left out', async () => {
    // A plain file where the new date's folder must go makes this publish fail after the load committed.
    const blocker = path.join(dir, 'out/curated/campaign_daily/date=2026-03-04');
    fs.writeFileSync(blocker, 'in the way');
    lakeFile(dir, 'raw/ads/run=c/part-00001.csv', [row('C-1', '2026-03-04', 400)]);
    await expect(transformStep(config, opts('run-c'), log)).rejects.toThrow();
    const loaded = await inState(config, (e) =>
      e.all<{ key: string; run_id: string }>('select key, run_id from etl_manifest order by key'),
    );
    expect(loaded.at(-1)).toEqual({ key: 'raw/ads/run=c/part-00001.csv', run_id: 'run-c' }); // the load itself committed
    fs.rmSync(blocker);
    await transformStep(config, opts('run-d'), log); // no new raw files: only the publish has work
    expect(dateFolders(dir).out).toContain('date=2026-03-04');
    expect(dateFolders(dir).lake).toContain('date=2026-03-04');
    const { published, state } = await publishedAndState(config, 'lake');
    expect(published).toEqual(state);
    expect(published).toHaveLength(4);
  });

  it('removes the files of dates the master lost, and the single file of earlier versions, on a full refresh', async () => {
    fs.rmSync(path.join(dir, 'lake/raw/ads/run=c'), { recursive: true });
    for (const root of ['out', 'lake']) fs.writeFileSync(path.join(dir, root, 'curated/campaign_daily/campaign_daily.parquet'), 'old');
    await transformStep(config, opts('run-e', true), log);
    expect(dateFolders(dir)).toEqual({
      out: ['date=2026-03-01', 'date=2026-03-02', 'date=2026-03-03'],
      lake: ['date=2026-03-01', 'date=2026-03-02', 'date=2026-03-03'],
    });
    for (const root of ['out', 'lake']) {
      const { published, state } = await publishedAndState(config, root);
      expect(published).toEqual(state);
      expect(published).toHaveLength(3);
    }
  });
});

describe('what the models must keep of the raw rows', () => {
  it('fails the run, naming the file, when a model reorders the raw rows (line numbers would be wrong)', async () => {
    const dir = tempDir('publish-order');
    const sqlDir = path.join(dir, 'sql');
    fs.cpSync(SQL_DIR, sqlDir, { recursive: true });
    const clean = path.join(sqlDir, 'models/020_clean_ads.sql');
    const text = fs.readFileSync(clean, 'utf8');
    expect(text).toContain('from reasons;');
    fs.writeFileSync(clean, text.replace('from reasons;', 'from reasons order by campaign_id;'));
    lakeFile(dir, 'raw/ads/x/a.csv', [row('K-1', '2026-03-01', 1), row('K-3', '2026-03-01', 3)]);
    lakeFile(dir, 'raw/ads/x/b.csv', [row('K-2', '2026-03-01', 2), row('K-4', '2026-03-01', 4)]);
    const config = configIn(dir, sqlDir);
    await expect(transformStep(config, opts('run-o'), log)).rejects.toThrow(
      /^clean_ads does not keep the rows of raw\/ads\/x\/(a|b)\.csv together and in file order/,
    );
    expect(await inState(config, (e) => e.all('select * from etl_manifest'))).toEqual([]);
  });

  it('fails the run when no model reads a layout that has new files, instead of marking them loaded', async () => {
    const dir = tempDir('publish-layout');
    const sqlDir = path.join(dir, 'sql');
    fs.cpSync(SQL_DIR, sqlDir, { recursive: true });
    const raw = path.join(sqlDir, 'models/010_raw_ads.sql');
    const text = fs.readFileSync(raw, 'utf8');
    expect(text).toContain('union all');
    fs.writeFileSync(raw, `${text.slice(0, text.indexOf('union all'))};\n`); // the legacy branch is gone
    lakeFile(dir, 'raw/ads/x/a.csv', [row('K-1', '2026-03-01', 1)]);
    const legacy = path.join(dir, 'lake/raw/ads/x/marketing_data_1.csv');
    fs.writeFileSync(
      legacy,
      'campaign_id,date,platform,target_audience,impressions,ctr,clicks,cpc,costo_total,video_view_time\nL-1,2026-03-01,Google Ads,Hombre 18-25,100,0.05,5,1.00,5.00,7.5\n',
    );
    const config = configIn(dir, sqlDir);
    await expect(transformStep(config, opts('run-l'), log)).rejects.toThrow(/^the models never read raw_input_legacy, so 1 raw file/);
    expect(await inState(config, (e) => e.all('select * from etl_manifest'))).toEqual([]);
  });
});
