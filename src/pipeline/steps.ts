// The library entry points the CLI calls: each opens what it needs, does one step, and releases in finally.
import path from 'node:path';
import type { Config } from '../config.js';
import { type Engine, withEngine } from '../engine/duckdb.js';
import { type GenerateOptions, type GenerateResult, generate } from '../generate/generate.js';
import { openLake } from '../lake/index.js';
import type { Lake } from '../lake/lake.js';
import type { Logger } from '../log.js';
import { type KpiTable, readKpiTables } from '../report/kpis.js';
import { writeRunReport } from '../report/write.js';
import { type CheckResult, runChecks } from '../sql/checks.js';
import { loadSqlFiles } from '../sql/files.js';
import type { TemplateVars } from '../sql/template.js';
import { cleanUpAfterCrashes } from './cleanup.js';
import { lockFileFor, withLock } from './lock.js';
import { type PublishedFile, publish } from './publish.js';
import { type TransformOptions, type TransformResult, transform } from './transform.js';

export interface TransformStepResult extends TransformResult {
  checks: CheckResult[];
  published: PublishedFile[];
}

async function withLake<T>(config: Config, log: Logger, fn: (lake: Lake) => Promise<T>): Promise<T> {
  const lake = await openLake(config, log);
  try {
    return await fn(lake);
  } finally {
    await lake.close();
  }
}

const seconds = (start: number): number => Math.round((performance.now() - start) / 10) / 100;

/** `generate`: synthetic CSV batches into the lake. */
export async function generateStep(config: Config, options: GenerateOptions, log: Logger): Promise<GenerateResult> {
  const start = performance.now();
  const result = await withLake(config, log, (lake) => generate(options, lake, log));
  const s = seconds(start);
  log.info('generate done', { rows: result.rows, files: result.files.length, mb: Math.round(result.bytes / 1e5) / 10, seconds: s });
  return result;
}

/** `transform`: new raw files -> master -> checks -> KPIs -> Parquet, locally and in the lake. */
export async function transformStep(config: Config, options: TransformOptions, log: Logger): Promise<TransformStepResult> {
  const sqlFiles = loadSqlFiles(config.sqlDir);
  // The same lock as `run`: a transform beside a run exits at once naming the holder.
  return withLock(lockFileFor(config.state), 'marketing-etl transform', () =>
    withLake(config, log, async (lake) => {
      await cleanUpAfterCrashes(config, lake, log);
      return withEngine({ path: config.state }, async (engine) => {
        let start = performance.now();
        const loaded = await transform(config, engine, lake, sqlFiles, options, log);
        log.info('transform done', {
          new_files: loaded.newFiles,
          raw_rows: loaded.rawRows,
          master_rows: loaded.masterRows,
          rejected_lines: loaded.rejectedLines,
          changed_files: loaded.changedFiles,
          seconds: seconds(start),
        });
        const vars: TemplateVars = { run_id: options.runId, run_date: options.runDate };
        start = performance.now();
        const checks = await runChecks(engine, sqlFiles, vars, log);
        log.info('checks done', { checks: checks.length, seconds: seconds(start) });
        start = performance.now();
        const published = await publish(engine, lake, config.outputDir, sqlFiles, vars, log);
        log.info('publish done', {
          files: published.length,
          output_dir: path.relative(process.cwd(), config.outputDir) || '.',
          lake: lake.uri,
          seconds: seconds(start),
        });
        await writeRunReport(config, engine, sqlFiles, log);
        return { ...loaded, checks, published };
      });
    }),
  );
}

/** `report`: the published KPI tables, read back from Parquet with an in-memory DuckDB. */
export async function reportStep(config: Config): Promise<KpiTable[]> {
  const sqlFiles = loadSqlFiles(config.sqlDir);
  return withEngine({ path: ':memory:' }, (engine: Engine) => readKpiTables(engine, config.outputDir, sqlFiles));
}
