// Option groups and helpers shared by the command modules: flags -> typed options. No logic here.
import type { Argv } from 'yargs';
import {
  type Config,
  type ConfigInput,
  DEFAULT_LAKE,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_S3_MAX_ATTEMPTS,
  DEFAULT_SQL_DIR,
  DEFAULT_STATE,
  resolveConfig,
  S3_READ_MODES,
} from '../../config.js';
import {
  DEFAULT_BATCH_ROWS,
  DEFAULT_DIRTY_RATE,
  DEFAULT_ROWS,
  DEFAULT_SEED,
  defaultDateRange,
  defaultThreads,
  type GenerateOptions,
  newRunId,
} from '../../generate/generate.js';
import { createLogger, LOG_FORMATS, LOG_LEVELS, type Logger } from '../../log.js';
import { parseRejectRate } from '../../pipeline/rejects.js';
import { reportStep } from '../../pipeline/steps.js';
import { renderKpiTables, useColor } from '../render.js';

export type Args = ConfigInput & Record<string, unknown>;

/** The options every command shares; each also reads MKETL_<NAME> (yargs .env). */
export function globalOptions(y: Argv): Argv {
  return y
    .option('lake', { type: 'string', describe: 'Data lake: a folder or s3://bucket/prefix', default: DEFAULT_LAKE, group: 'Global:' })
    .option('state', { type: 'string', describe: 'State database (DuckDB file)', default: DEFAULT_STATE, group: 'Global:' })
    .option('output-dir', {
      type: 'string',
      describe: 'Local folder for Parquet outputs and reports',
      default: DEFAULT_OUTPUT_DIR,
      group: 'Global:',
    })
    .option('sql-dir', {
      type: 'string',
      describe: 'Folder of SQL files (models/, checks/, kpis/)',
      default: DEFAULT_SQL_DIR,
      group: 'Global:',
    })
    .option('s3-endpoint', { type: 'string', describe: 'S3-compatible endpoint URL (also AWS_ENDPOINT_URL)', group: 'Global:' })
    .option('s3-region', { type: 'string', describe: 'S3 region (also AWS_REGION)', group: 'Global:' })
    .option('s3-read', {
      type: 'string',
      choices: S3_READ_MODES,
      describe: 'How DuckDB reads S3: auto, httpfs or sdk (download)',
      default: 'auto',
      group: 'Global:',
    })
    .option('s3-max-attempts', {
      type: 'number',
      describe: 'Attempts per S3 request for throttling, 5xx, resets and timeouts (backoff with jitter)',
      default: DEFAULT_S3_MAX_ATTEMPTS,
      group: 'Global:',
    })
    .option('log-level', { type: 'string', choices: LOG_LEVELS, describe: 'Log level', default: 'info', group: 'Global:' })
    .option('log-format', {
      type: 'string',
      choices: LOG_FORMATS,
      describe: 'pretty for people, json for log collectors',
      default: 'pretty',
      group: 'Global:',
    });
}

export function setup(argv: Args): { config: Config; log: Logger } {
  const config = resolveConfig(argv);
  return { config, log: createLogger({ level: config.logLevel, format: config.logFormat }) };
}

export function generateOptions(y: Argv): Argv {
  const range = defaultDateRange();
  return y
    .option('rows', { type: 'number', describe: 'Fact rows to generate', default: DEFAULT_ROWS, group: 'Generate:' })
    .option('batch-rows', { type: 'number', describe: 'Rows per CSV batch file', default: DEFAULT_BATCH_ROWS, group: 'Generate:' })
    .option('from', {
      type: 'string',
      describe: 'First date, YYYY-MM-DD',
      default: range.from,
      defaultDescription: '90 days before --to',
      group: 'Generate:',
    })
    .option('to', {
      type: 'string',
      describe: 'Last date, YYYY-MM-DD',
      default: range.to,
      defaultDescription: 'yesterday (UTC)',
      group: 'Generate:',
    })
    .option('campaigns', { type: 'number', describe: 'Number of campaigns', defaultDescription: 'enough for --rows', group: 'Generate:' })
    .option('seed', {
      type: 'number',
      describe: 'Random seed: the same seed gives the same bytes',
      default: DEFAULT_SEED,
      group: 'Generate:',
    })
    .option('dirty-rate', {
      type: 'number',
      describe: 'Share of rows to corrupt like real exports do (0 to 0.5); counts go to _manifest.json',
      default: DEFAULT_DIRTY_RATE,
      group: 'Generate:',
    })
    .option('threads', {
      type: 'number',
      describe: 'Worker threads that encode batches (0: none); the bytes are the same for any count',
      defaultDescription: 'one per core (up to 4) from 100,000 rows, else 0',
      group: 'Generate:',
    })
    .option('run-id', {
      type: 'string',
      describe: 'Batch folder name under raw/ads/run=<id>; must be new',
      defaultDescription: 'UTC time + random',
      group: 'Generate:',
    });
}

export function toGenerateOptions(argv: Args): GenerateOptions {
  return {
    rows: argv.rows as number,
    batchRows: argv.batchRows as number,
    from: argv.from as string,
    to: argv.to as string,
    campaigns: argv.campaigns as number | undefined,
    seed: argv.seed as number,
    dirtyRate: argv.dirtyRate as number,
    threads: (argv.threads as number | undefined) ?? defaultThreads(argv.rows as number),
    runId: (argv.runId as string | undefined) ?? newRunId(),
  };
}

export function transformOptions(y: Argv): Argv {
  return y
    .option('full-refresh', {
      type: 'boolean',
      describe: 'Rebuild the master from every raw file',
      default: false,
      group: 'Transform:',
    })
    .option('max-reject-rate', {
      type: 'string',
      describe: 'Fail the run when a raw file has more malformed lines than this: a fraction (0.1) or a percentage (10%)',
      default: '10%',
      group: 'Transform:',
    });
}

export function transformArgs(argv: Args, runId: string) {
  return {
    runId,
    runDate: new Date().toISOString().slice(0, 10),
    fullRefresh: argv.fullRefresh === true,
    maxRejectRate: parseRejectRate(argv.maxRejectRate),
  };
}

export async function printReport(config: Config): Promise<void> {
  const kpis = await reportStep(config);
  process.stdout.write(renderKpiTables(kpis, { color: useColor() }));
}
