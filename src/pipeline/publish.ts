// The publish step: the master (one Parquet file per date) and each KPI as zstd Parquet, locally first (temp name +
// rename), then to the lake. Only the dates a run changed are written again, so a nightly publish costs a day.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Engine, listParam, sqlString } from '../engine/duckdb.js';
import type { Lake } from '../lake/lake.js';
import { tempPathFor } from '../lake/temp.js';
import type { Logger } from '../log.js';
import { type SqlFile, stageFiles } from '../sql/files.js';
import { runWrappedQuery } from '../sql/runner.js';
import type { TemplateVars } from '../sql/template.js';

/** The master in the lake and the output folder: `curated/campaign_daily/date=YYYY-MM-DD/campaign_daily.parquet`. */
export const CURATED_PREFIX = 'curated/campaign_daily/';
export const curatedKey = (date: string): string => `${CURATED_PREFIX}date=${date}/campaign_daily.parquet`;
export const martKey = (name: string): string => `marts/${name}.parquet`;
export const QUARANTINE_KEY = 'quarantine/quarantine.parquet';
/** Where a published key lies in the output folder: the same relative path as in the lake. */
export const outputPath = (outputDir: string, key: string): string => path.join(outputDir, ...key.split('/'));

export interface PublishedFile {
  name: string;
  key: string;
  localPath: string;
  rows: number;
}

const PARQUET = '(format parquet, compression zstd)';
/** Files uploaded at the same time: the master's date files and the KPI files are small and need not wait in turn. */
export const UPLOAD_CONCURRENCY = 8;

async function copyAtomically(engine: Engine, target: string, write: (tmp: string) => Promise<void>): Promise<number> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  try {
    await write(tmp);
    await fs.rename(tmp, target);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  const rows = await engine.all<{ n: number }>(`select count(*) as n from read_parquet(${sqlString(target)})`);
  return rows[0]?.n ?? 0;
}

/** Uploads the files, UPLOAD_CONCURRENCY at a time; waits for all of them, then throws the first failure if any. */
async function uploadAll(lake: Lake, files: readonly { key: string; localPath: string; rows?: number }[], log: Logger): Promise<void> {
  const queue = [...files];
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const started = performance.now();
      log.debug('uploading', { key: file.key });
      try {
        await lake.upload(file.key, file.localPath);
      } catch (error) {
        // Files not started yet stay unpublished, as when the uploads ran one by one.
        failures.push(error);
        queue.length = 0;
        return;
      }
      if (file.rows !== undefined)
        log.debug('published', { key: file.key, rows: file.rows, seconds: Math.round(performance.now() - started) / 1000 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, files.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/** Writes campaign_daily and every KPI to `<outputDir>/curated|marts/` and uploads the same files to the lake. */
export async function publish(
  engine: Engine,
  lake: Lake,
  outputDir: string,
  sqlFiles: readonly SqlFile[],
  vars: TemplateVars,
  log: Logger,
): Promise<PublishedFile[]> {
  const published: PublishedFile[] = [];
  let started = performance.now();
  const took = (): number => {
    const seconds = Math.round(performance.now() - started) / 1000;
    started = performance.now();
    return seconds;
  };
  const master = await writeMaster(engine, outputDir, log);
  published.push(master.file);
  log.debug('parquet written', { name: 'campaign_daily', dates: master.written.length, rows: master.file.rows, seconds: took() });
  for (const file of stageFiles(sqlFiles, 'kpis')) {
    const key = martKey(file.name);
    const localPath = outputPath(outputDir, key);
    log.debug('writing parquet', { key });
    const rows = await copyAtomically(engine, localPath, (tmp) =>
      runWrappedQuery(engine, file, vars, (q) => `copy (${q}) to ${sqlString(tmp)} ${PARQUET}`),
    );
    published.push({ name: file.name, key, localPath, rows });
    log.debug('parquet written', { name: file.name, rows, seconds: took() });
  }
  // Every upload runs side by side (each one atomic) while DuckDB writes the quarantine file; all are awaited.
  const uploads = uploadAll(
    lake,
    [
      ...master.written.map((date) => ({ key: curatedKey(date), localPath: outputPath(outputDir, curatedKey(date)) })),
      ...published.slice(1),
    ],
    log,
  );
  // The quarantine is for whoever runs the pipeline, so it stays in the output folder (not the shared lake).
  const quarantinePath = outputPath(outputDir, QUARANTINE_KEY);
  const quarantine = copyAtomically(engine, quarantinePath, (tmp) =>
    engine.run(`copy (select * from quarantine order by raw_file, line_number) to ${sqlString(tmp)} ${PARQUET}`),
  );
  const [uploaded, written] = await Promise.allSettled([uploads, quarantine]);
  if (uploaded.status === 'rejected') throw uploaded.reason;
  if (written.status === 'rejected') throw written.reason;
  await removeStalePartitions(lake, outputDir, master.dates, log);
  // Recorded last: a run that dies before this point publishes the same dates again next time.
  await engine.transaction(async () => {
    await engine.run('delete from etl_published_dates');
    if (master.dates.length > 0)
      await engine.run('insert into etl_published_dates select unnest($dates::date[])', { dates: listParam(master.dates) });
  });
  log.debug('published', { key: CURATED_PREFIX, dates: master.written.length, seconds: took() });
  published.push({ name: 'quarantine', key: QUARANTINE_KEY, localPath: quarantinePath, rows: written.value });
  return published;
}

/**
 * Writes the master's dates that are not published yet (a run clears the dates it changed from
 * `etl_published_dates`), or whose local file is missing, as `<outputDir>/curated/campaign_daily/date=D/`: one COPY
 * partitioned by date into a temporary folder, then each file renamed into place.
 */
async function writeMaster(
  engine: Engine,
  outputDir: string,
  log: Logger,
): Promise<{ file: PublishedFile; dates: string[]; written: string[] }> {
  const localOf = (date: string): string => outputPath(outputDir, curatedKey(date));
  const rows = await engine.all<{ date: string; n: number }>(
    `select strftime(date, '%Y-%m-%d') as date, count(*) as n from campaign_daily group by all order by 1`,
  );
  const done = new Set(
    (await engine.all<{ date: string }>("select strftime(date, '%Y-%m-%d') as date from etl_published_dates")).map((r) => r.date),
  );
  const dates = rows.map((r) => r.date);
  const written = dates.filter((d) => !done.has(d) || !existsSync(localOf(d)));
  const folder = outputPath(outputDir, CURATED_PREFIX);
  if (written.length > 0) {
    await fs.mkdir(folder, { recursive: true });
    const tmp = tempPathFor(folder);
    log.debug('writing parquet', { key: CURATED_PREFIX, dates: written.length });
    try {
      // The dates are ours (formatted above), not user input. In storage order, not sorted: rows arrive day by day.
      const list = written.map((d) => `date '${d}'`).join(', ');
      await engine.run(
        `copy (select * from campaign_daily where date in (${list})) to ${sqlString(tmp)}
         (format parquet, compression zstd, partition_by (date), write_partition_columns true, filename_pattern 'part_{i}')`,
      );
      for (const date of written) {
        const parts = (await fs.readdir(path.join(tmp, `date=${date}`))).filter((f) => f.endsWith('.parquet'));
        if (parts.length !== 1) throw new Error(`expected one Parquet file for date ${date}, DuckDB wrote ${parts.length}`);
        await fs.mkdir(path.dirname(localOf(date)), { recursive: true });
        await fs.rename(path.join(tmp, `date=${date}`, parts[0] as string), localOf(date));
      }
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }
  log.debug('master partitions', { dates: dates.length, written: written.length });
  const total = rows.reduce((sum, r) => sum + Number(r.n), 0);
  return { file: { name: 'campaign_daily', key: CURATED_PREFIX, localPath: folder, rows: total }, dates, written };
}

/**
 * Removes master files of dates the master no longer has (a --full-refresh after raw files were removed) and the
 * single file older versions wrote, locally and in the lake, so that reading the folder gives exactly the master.
 */
async function removeStalePartitions(lake: Lake, outputDir: string, dates: readonly string[], log: Logger): Promise<void> {
  const keep = new Set(dates.map(curatedKey));
  const folder = outputPath(outputDir, CURATED_PREFIX);
  const local = existsSync(folder) ? ((await fs.readdir(folder, { recursive: true })) as string[]) : [];
  for (const rel of local) {
    const key = `${CURATED_PREFIX}${rel.split(path.sep).join('/')}`;
    if (!key.endsWith('.parquet') || keep.has(key)) continue;
    await fs.rm(path.join(folder, rel), { force: true });
    await fs.rmdir(path.dirname(path.join(folder, rel))).catch(() => undefined);
  }
  for (const object of await lake.list(CURATED_PREFIX)) {
    if (keep.has(object.key)) continue;
    log.debug('removing stale master file', { key: object.key });
    await lake.remove(object.key);
  }
}
