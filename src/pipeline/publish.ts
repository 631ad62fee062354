// The publish step: the master and each KPI as zstd Parquet, locally first (temp name + rename), then to the lake.
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Engine, sqlString } from '../engine/duckdb.js';
import type { Lake } from '../lake/lake.js';
import { tempPathFor } from '../lake/temp.js';
import type { Logger } from '../log.js';
import { type SqlFile, stageFiles } from '../sql/files.js';
import { runWrappedQuery } from '../sql/runner.js';
import type { TemplateVars } from '../sql/template.js';

export const CURATED_KEY = 'curated/campaign_daily/campaign_daily.parquet';
export const martKey = (name: string): string => `marts/${name}.parquet`;
export const QUARANTINE_KEY = 'quarantine/quarantine.parquet';

export interface PublishedFile {
  name: string;
  key: string;
  localPath: string;
  rows: number;
}

const PARQUET = '(format parquet, compression zstd)';
/** Published files uploaded at the same time: the master and the small KPI files need not wait for each other. */
export const UPLOAD_CONCURRENCY = 4;

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
async function uploadAll(lake: Lake, files: readonly PublishedFile[], log: Logger): Promise<void> {
  const queue = [...files];
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const started = performance.now();
      log.debug('uploading', { key: file.key });
      try {
        await lake.upload(file.key, file.localPath);
      } catch (error) {
        // Files not started yet stay unpublished, as before any upload ran in parallel.
        failures.push(error);
        queue.length = 0;
        return;
      }
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
  const masterPath = path.join(outputDir, ...CURATED_KEY.split('/'));
  log.debug('writing parquet', { key: CURATED_KEY });
  // In storage order, not sorted: rows arrive day by day, so the file stays clustered by date, and sorting the whole
  // master by its key cost three times the write itself (and grew with the history on every nightly run).
  const masterRows = await copyAtomically(engine, masterPath, (tmp) =>
    engine.run(`copy (select * from campaign_daily) to ${sqlString(tmp)} ${PARQUET}`),
  );
  published.push({ name: 'campaign_daily', key: CURATED_KEY, localPath: masterPath, rows: masterRows });
  log.debug('parquet written', { name: 'campaign_daily', rows: masterRows, seconds: took() });
  for (const file of stageFiles(sqlFiles, 'kpis')) {
    const key = martKey(file.name);
    const localPath = path.join(outputDir, ...key.split('/'));
    log.debug('writing parquet', { key });
    const rows = await copyAtomically(engine, localPath, (tmp) =>
      runWrappedQuery(engine, file, vars, (q) => `copy (${q}) to ${sqlString(tmp)} ${PARQUET}`),
    );
    published.push({ name: file.name, key, localPath, rows });
    log.debug('parquet written', { name: file.name, rows, seconds: took() });
  }
  // Uploads run side by side (each one atomic), while DuckDB writes the quarantine file; every one is awaited.
  const uploads = uploadAll(lake, [...published], log);
  // The quarantine is for whoever runs the pipeline, so it stays in the output folder (not the shared lake).
  const quarantinePath = path.join(outputDir, ...QUARANTINE_KEY.split('/'));
  const quarantine = copyAtomically(engine, quarantinePath, (tmp) =>
    engine.run(`copy (select * from quarantine order by raw_file, line_number) to ${sqlString(tmp)} ${PARQUET}`),
  );
  const [uploaded, written] = await Promise.allSettled([uploads, quarantine]);
  if (uploaded.status === 'rejected') throw uploaded.reason;
  if (written.status === 'rejected') throw written.reason;
  const quarantineRows = written.value;
  published.push({ name: 'quarantine', key: QUARANTINE_KEY, localPath: quarantinePath, rows: quarantineRows });
  return published;
}
