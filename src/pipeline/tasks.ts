// The nightly pipeline as a declared graph: generate -> ingest -> transform -> checks -> publish -> report.
import type { Config } from '../config.js';
import type { Engine } from '../engine/duckdb.js';
import { type Encoders, type GenerateOptions, generate } from '../generate/generate.js';
import type { Lake } from '../lake/lake.js';
import type { Logger } from '../log.js';
import { type KpiTable, readKpiTables } from '../report/kpis.js';
import { publishHtmlReport } from '../report/write.js';
import { runChecks } from '../sql/checks.js';
import { loadSqlFiles, type SqlFile } from '../sql/files.js';
import type { TemplateVars } from '../sql/template.js';
import { runStagingDir } from './cleanup.js';
import type { Task } from './graph.js';
import { publish } from './publish.js';
import { ensureStateTables } from './state.js';
import { discoverNewFiles, transform } from './transform.js';

export const TASK_NAMES = ['generate', 'ingest', 'transform', 'checks', 'publish', 'report'] as const;

/** What the tasks share: one lake and one engine session, opened by the run. */
export interface TaskContext {
  config: Config;
  lake: Lake;
  engine: Engine;
  log: Logger;
  runId: string;
  runDate: string;
  fullRefresh: boolean;
  maxRejectRate?: number;
  /** Absent when the run works on data already in the lake (`--skip-generate`). */
  generate?: GenerateOptions;
  /** Encoder threads the run started early for `generate`, which stops them once it is done. */
  encoders?: Encoders;
}

/** What the tasks hand to the caller once the run is over. */
export interface TaskOutputs {
  kpis: KpiTable[];
}

/** The tasks of one run, with their dependencies; each task function calls the library step it is named after. */
export function pipelineTasks(ctx: TaskContext, outputs: TaskOutputs): Task[] {
  let sqlFiles: SqlFile[] | undefined;
  let masterRows = 0;
  const sql = (): SqlFile[] => {
    sqlFiles ??= loadSqlFiles(ctx.config.sqlDir);
    return sqlFiles;
  };
  const vars = (): TemplateVars => ({ run_id: ctx.runId, run_date: ctx.runDate });
  const gen = ctx.generate;
  const tasks: Task[] = [];
  if (gen) {
    tasks.push({
      name: 'generate',
      dependsOn: [],
      async run() {
        // A bucket keeps local copies of the batches where the transform stages them: no download of what we just wrote.
        ctx.lake.keepCopies?.(runStagingDir(ctx.config, ctx.runId));
        const result = await generate(gen, ctx.lake, ctx.log, ctx.encoders);
        return { rowsOut: result.rows, detail: `${result.files.length} files, ${gen.from}..${gen.to}` };
      },
    });
  }
  tasks.push(
    {
      name: 'ingest',
      dependsOn: gen ? ['generate'] : [],
      async run() {
        await ensureStateTables(ctx.engine);
        const { fresh, empty } = await discoverNewFiles(ctx.lake, ctx.engine);
        const bytes = fresh.reduce((sum, o) => sum + o.size, 0);
        return { detail: `${fresh.length} new raw files (${(bytes / 1e6).toFixed(1)} MB), ${empty.length} empty skipped` };
      },
    },
    {
      name: 'transform',
      dependsOn: ['ingest'],
      async run() {
        const r = await transform(
          ctx.config,
          ctx.engine,
          ctx.lake,
          sql(),
          {
            runId: ctx.runId,
            runDate: ctx.runDate,
            fullRefresh: ctx.fullRefresh,
            ...(ctx.maxRejectRate !== undefined ? { maxRejectRate: ctx.maxRejectRate } : {}),
          },
          ctx.log,
        );
        masterRows = r.masterRows;
        // Bad input is named in the history only when there was some, so a clean run reads "N files loaded".
        const bad = [
          r.rejectedLines > 0 ? `${r.rejectedLines} malformed lines quarantined` : '',
          r.changedFiles > 0 ? `${r.changedFiles} changed files not reloaded` : '',
        ].filter(Boolean);
        return { rowsIn: r.rawRows, rowsOut: r.masterRows, detail: [`${r.newFiles} files loaded`, ...bad].join('; ') };
      },
    },
    {
      name: 'checks',
      dependsOn: ['transform'],
      async run() {
        const results = await runChecks(ctx.engine, sql(), vars(), ctx.log);
        const failures = results.reduce((sum, c) => sum + c.failures, 0);
        return { rowsIn: masterRows, rowsOut: failures, detail: `${results.length} checks, ${failures} rows flagged` };
      },
    },
    {
      name: 'publish',
      dependsOn: ['checks'],
      async run() {
        const files = await publish(ctx.engine, ctx.lake, ctx.config.outputDir, sql(), vars(), ctx.log);
        return { rowsIn: masterRows, rowsOut: files.reduce((sum, f) => sum + f.rows, 0), detail: `${files.length} Parquet files` };
      },
    },
    {
      name: 'report',
      dependsOn: ['publish'],
      async run() {
        // The run's own engine reads the Parquet just published (as `transform` does): no second DuckDB to open.
        outputs.kpis = await readKpiTables(ctx.engine, ctx.config.outputDir, sql());
        await publishHtmlReport(ctx.config, outputs.kpis, ctx.log);
        return { rowsOut: outputs.kpis.reduce((sum, k) => sum + k.rows.length, 0), detail: `${outputs.kpis.length} KPI tables` };
      },
    },
  );
  return tasks;
}
