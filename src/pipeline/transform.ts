// The transform step: new raw files -> models (in one transaction with the manifest) -> checks.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import { type Engine, listParam } from '../engine/duckdb.js';
import { RAW_PREFIX } from '../generate/generate.js';
import type { Lake, LakeObject } from '../lake/lake.js';
import type { Logger } from '../log.js';
import { type SqlFile, stageFiles } from '../sql/files.js';
import { runSqlFile } from '../sql/runner.js';
import type { TemplateVars } from '../sql/template.js';
import { stagingRoot } from './cleanup.js';
import { lockDown } from './sandbox.js';
import { ensureStateTables, readManifest } from './state.js';

export interface TransformOptions {
  runId: string;
  /** The run's date (ISO), available to SQL as {{ run_date }}. */
  runDate: string;
  fullRefresh: boolean;
}

export interface TransformResult {
  newFiles: number;
  skippedEmpty: number;
  rawRows: number;
  masterRows: number;
}

/** Raw objects not yet in the manifest; zero-byte files are never taken (and never marked processed). */
export async function discoverNewFiles(lake: Lake, engine: Engine): Promise<{ fresh: LakeObject[]; empty: LakeObject[] }> {
  const manifest = await readManifest(engine);
  const listed = (await lake.list(RAW_PREFIX)).filter((o) => o.key.toLowerCase().endsWith('.csv'));
  const unseen = listed.filter((o) => !manifest.has(o.key));
  return { fresh: unseen.filter((o) => o.size > 0), empty: unseen.filter((o) => o.size === 0) };
}

/** Loads the new raw files into campaign_daily and records them in the manifest, all in one transaction. */
export async function transform(
  config: Config,
  engine: Engine,
  lake: Lake,
  sqlFiles: readonly SqlFile[],
  options: TransformOptions,
  log: Logger,
): Promise<TransformResult> {
  await ensureStateTables(engine);
  if (options.fullRefresh) {
    log.info('full refresh: rebuilding campaign_daily from every raw file');
    await engine.transaction(async () => {
      await engine.run('drop table if exists campaign_daily; delete from etl_manifest;');
    });
  }
  const { fresh, empty } = await discoverNewFiles(lake, engine);
  for (const o of empty) log.warn('skipping empty raw file', { key: o.key });
  let rawRows = 0;
  if (fresh.length === 0) {
    log.info('no new raw files', { lake: lake.uri });
    await lockDown(engine, config);
  } else {
    const staging = path.join(stagingRoot(config), options.runId);
    // The S3 lake picks httpfs or SDK downloads here (and gives DuckDB its secret); folders need nothing.
    await lake.prepareEngine?.(engine);
    log.debug('staging raw files', { files: fresh.length });
    const paths = await lake.materialize(
      fresh.map((o) => o.key),
      staging,
    );
    const vars: TemplateVars = {
      raw_files: fresh.map((o) => paths.get(o.key) as string),
      run_id: options.runId,
      run_date: options.runDate,
    };
    await lockDown(engine, config);
    const progress = log.progress('transform', stageFiles(sqlFiles, 'models').length);
    try {
      await engine.transaction(async () => {
        await engine.run('create or replace temp table raw_file_map (path varchar, key varchar)');
        await engine.run('insert into raw_file_map select unnest($paths::varchar[]), unnest($keys::varchar[])', {
          paths: listParam(vars.raw_files as string[]),
          keys: listParam(fresh.map((o) => o.key)),
        });
        for (const file of stageFiles(sqlFiles, 'models')) {
          log.debug('running model', { file: file.relPath });
          await runSqlFile(engine, file, vars);
          progress.tick(1);
        }
        const counted = await engine.all<{ n: number }>('select count(*) as n from raw_ads');
        rawRows = counted[0]?.n ?? 0;
        await engine.run(
          `insert into etl_manifest
           select unnest($keys::varchar[]), unnest($sizes::bigint[]), unnest($etags::varchar[]), $run_id, now()`,
          {
            keys: listParam(fresh.map((o) => o.key)),
            sizes: listParam(fresh.map((o) => o.size)),
            etags: listParam(fresh.map((o) => o.etag)),
            run_id: options.runId,
          },
        );
      });
    } finally {
      progress.stop();
      if (config.lake.kind !== 'local') await fs.rm(staging, { recursive: true, force: true });
    }
  }
  const master = await engine.all<{ n: number }>(
    "select count(*) as n from duckdb_tables() where table_name = 'campaign_daily' and schema_name = 'main'",
  );
  const masterRows = master[0]?.n ? ((await engine.all<{ n: number }>('select count(*) as n from campaign_daily'))[0]?.n ?? 0) : 0;
  return { newFiles: fresh.length, skippedEmpty: empty.length, rawRows, masterRows };
}
