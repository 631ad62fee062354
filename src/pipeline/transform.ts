// The transform step: new raw files -> models, all in one transaction with the manifest and the SQL hashes.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { type Engine, hasTable, listParam, type Params, sqlIdent } from '../engine/duckdb.js';
import type { Lake, LakeObject } from '../lake/lake.js';
import type { Logger } from '../log.js';
import { type SqlFile, stageFiles } from '../sql/files.js';
import { defineRawInputs, pinpointUnreadable } from '../sql/raw-input.js';
import { collectRawResults, quarantineRows } from '../sql/raw-lines.js';
import { runSqlFile } from '../sql/runner.js';
import { createsOnlyTempObjects } from '../sql/split.js';
import type { TemplateVars } from '../sql/template.js';
import { stagingRoot } from './cleanup.js';
import { discoverRawFiles, groupByLayout } from './raw-files.js';
import { assertRejectRate, DEFAULT_MAX_REJECT_RATE, reportRejects } from './rejects.js';
import { lockDown } from './sandbox.js';
import { ensureStateTables, QUARANTINE_TEXT_COLUMNS, readManifest, recordSqlFiles } from './state.js';

export interface TransformOptions {
  runId: string;
  /** The run's date (ISO), available to SQL as {{ run_date }}. */
  runDate: string;
  fullRefresh: boolean;
  /** A file with a larger share of malformed lines fails the run (default DEFAULT_MAX_REJECT_RATE). */
  maxRejectRate?: number;
}

export interface TransformResult {
  newFiles: number;
  skippedEmpty: number;
  /** Data lines read from the new files, rejected (broken CSV) lines included. */
  rawRows: number;
  quarantined: number;
  masterRows: number;
  /** Lines the CSV parser rejected (in the quarantine as malformed_csv). */
  rejectedLines: number;
  /** Raw files already loaded that reappeared with other content: reported, not loaded again. */
  changedFiles: number;
}

/** Raw objects not yet in the manifest; zero-byte files are never taken (and never marked processed). */
export async function discoverNewFiles(lake: Lake, engine: Engine): Promise<{ fresh: LakeObject[]; empty: LakeObject[] }> {
  return discoverRawFiles(lake, await readManifest(engine), false);
}

/** Frees the run's raw and intermediate temp tables, which can hold gigabytes, before checks and publishing. */
async function dropTempObjects(engine: Engine): Promise<void> {
  const objects = await engine.all<{ name: string; kind: string }>(
    `select table_name as name, 'table' as kind from duckdb_tables() where temporary
     union all select view_name, 'view' from duckdb_views() where temporary and not internal`,
  );
  for (const o of objects) await engine.run(`drop ${o.kind} if exists temp.main.${sqlIdent(o.name)}`);
}

const secondsSince = (start: number): number => Math.round(performance.now() - start) / 1000;

async function count(engine: Engine, sql: string, params?: Params): Promise<number> {
  return Number((await engine.all<{ n: number }>(sql, params))[0]?.n ?? 0);
}

/**
 * Loads the new raw files (every raw file with `fullRefresh`) into campaign_daily and the quarantine and records
 * them in the manifest, all in one transaction: a run killed at any point leaves the state as it was.
 */
export async function transform(
  config: Config,
  engine: Engine,
  lake: Lake,
  sqlFiles: readonly SqlFile[],
  options: TransformOptions,
  log: Logger,
): Promise<TransformResult> {
  await ensureStateTables(engine);
  const { fresh, empty, changed } = await discoverRawFiles(lake, await readManifest(engine), options.fullRefresh);
  for (const o of empty) log.warn('skipping empty raw file (0 bytes; not marked processed)', { key: o.key });
  for (const c of changed) {
    log.warn('raw file changed since it was loaded; not loaded again (use --full-refresh to reload every file)', {
      key: c.object.key,
      size: c.object.size,
      loaded_size: Number(c.loaded.size),
      etag: c.object.etag,
      loaded_etag: c.loaded.etag,
    });
  }
  let rawRows = 0;
  let rejectedLines = 0;
  let quarantined = 0;
  // With nothing new the models are skipped, unless the master does not exist yet: then they run on no rows, so
  // that checks and KPIs always find campaign_daily.
  const hasMaster = await hasTable(engine, 'campaign_daily');
  if (fresh.length === 0 && !options.fullRefresh && hasMaster) {
    log.info('no new raw files', { lake: lake.uri });
    await lockDown(engine, config);
    await recordSqlFiles(engine, options.runId, sqlFiles);
  } else {
    if (options.fullRefresh) log.info('full refresh: rebuilding campaign_daily from every raw file', { files: fresh.length });
    const staging = path.join(stagingRoot(config), options.runId);
    // The S3 lake picks httpfs or SDK downloads here (and gives DuckDB its secret); folders need nothing.
    await lake.prepareEngine?.(engine);
    // From here on DuckDB reads and writes only the lake, state and output folders (sandbox.ts).
    await lockDown(engine, config);
    log.debug('staging raw files', { files: fresh.length });
    try {
      const paths = await lake.materialize(
        fresh.map((o) => o.key),
        staging,
      );
      const files = fresh.map((o) => ({ key: o.key, path: paths.get(o.key) as string }));
      const groups = await groupByLayout(engine, files);
      const vars: TemplateVars = { raw_files: files.map((f) => f.path), run_id: options.runId, run_date: options.runDate };
      const models = stageFiles(sqlFiles, 'models');
      const progress = log.progress('transform', models.length + 1);
      // DuckDB scans a temporary table created inside a transaction on one thread (its rows are the transaction's
      // own), which halved the speed of the master insert. Statements that only create temporary objects change
      // nothing in the state, so they run before the transaction, which begins at the first statement that can
      // change the state (at the latest before the manifest is written). The temporary objects are dropped anyway.
      let inTransaction = false;
      const begin = async (): Promise<void> => {
        if (inTransaction) return;
        await engine.run('begin transaction');
        inTransaction = true;
        if (options.fullRefresh) await engine.run('drop table if exists campaign_daily; delete from etl_manifest; delete from quarantine;');
      };
      try {
        await defineRawInputs(engine, groups);
        for (const file of models) {
          const started = performance.now();
          log.debug('running model', { file: file.relPath });
          await runSqlFile(engine, file, vars, {
            before: async (text) => {
              if (!createsOnlyTempObjects(text)) await begin();
            },
            after: (line, seconds) => log.debug('statement done', { file: `${file.relPath}:${line}`, seconds }),
          });
          log.debug('model done', { file: file.relPath, seconds: secondsSince(started) });
          progress.tick(1);
        }
        await begin();
        const started = performance.now();
        const counts = await collectRawResults(engine, groups);
        rawRows = counts.reduce((sum, c) => sum + c.dataRows + c.rejectedRows, 0);
        rejectedLines = reportRejects(counts, log);
        assertRejectRate(counts, options.maxRejectRate ?? DEFAULT_MAX_REJECT_RATE);
        await quarantineRows(engine, options.runId, QUARANTINE_TEXT_COLUMNS);
        quarantined = await count(engine, 'select count(*) as n from quarantine where run_id = $run_id', { run_id: options.runId });
        log.debug('raw lines counted and quarantined', {
          files: counts.length,
          rows: rawRows,
          groups: groups.map((g) => `${g.layout.name}:${g.files.length}`).join(' '),
          seconds: secondsSince(started),
        });
        progress.tick(1);
        // The dates this run changed are published again (publish.ts); a full refresh republishes them all.
        await engine.run(
          options.fullRefresh
            ? 'delete from etl_published_dates'
            : 'delete from etl_published_dates where date in (select distinct date from campaign_daily where run_id = $run_id)',
          options.fullRefresh ? undefined : { run_id: options.runId },
        );
        const rows = new Map(counts.map((c) => [c.key, c.dataRows + c.rejectedRows]));
        if (fresh.length > 0)
          await engine.run(
            `insert into etl_manifest (key, size, etag, run_id, loaded_at, rows)
             select unnest($keys::varchar[]), unnest($sizes::bigint[]), unnest($etags::varchar[]), $run_id, now(), unnest($rows::bigint[])`,
            {
              keys: listParam(fresh.map((o) => o.key)),
              sizes: listParam(fresh.map((o) => o.size)),
              etags: listParam(fresh.map((o) => o.etag)),
              rows: listParam(fresh.map((o) => rows.get(o.key) ?? 0)),
              run_id: options.runId,
            },
          );
        await recordSqlFiles(engine, options.runId, sqlFiles);
        await engine.run('commit');
        inTransaction = false;
      } catch (error) {
        if (inTransaction) await engine.run('rollback').catch(() => undefined);
        // Outside any transaction now, so the files can be probed one by one.
        throw (await pinpointUnreadable(engine, groups, error)) ?? error;
      } finally {
        progress.stop();
        await dropTempObjects(engine);
      }
    } finally {
      if (config.lake.kind !== 'local') await fs.rm(staging, { recursive: true, force: true });
    }
    if (quarantined > 0) log.warn('rows quarantined', { rows: quarantined, table: 'quarantine' });
  }
  const masterRows = (await hasTable(engine, 'campaign_daily')) ? await count(engine, 'select count(*) as n from campaign_daily') : 0;
  return {
    newFiles: fresh.length,
    skippedEmpty: empty.length,
    rawRows,
    quarantined,
    masterRows,
    rejectedLines,
    changedFiles: changed.length,
  };
}
