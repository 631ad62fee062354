// Options of `run` and `schedule` (retries, backfill dates, --skip-generate) -> PipelineOptions. No logic beyond parsing.
import type { Argv } from 'yargs';
import { ConfigError } from '../../errors.js';
import { defaultDateRange, newRunId } from '../../generate/generate.js';
import type { RunTrigger } from '../../pipeline/history.js';
import { DEFAULT_RETRIES, DEFAULT_RETRY_DELAY, parseDuration, type RetryPolicy } from '../../pipeline/retry.js';
import type { PipelineOptions } from '../../pipeline/run.js';
import { redact } from '../../redact.js';
import { type Args, toGenerateOptions, transformArgs } from './shared.js';

export const RUN_EPILOGUE = [
  'Tasks: generate -> ingest -> transform -> checks -> publish -> report; each starts only after the tasks it depends on succeeded; a failing task is retried (--retries, --retry-delay, doubling each time).',
  'Exit codes: 0 success, 1 a task failed (or another run holds the lock), 2 bad usage or configuration, 3 a data-quality check failed.',
  'Every option can also be set as MKETL_<NAME> (e.g. MKETL_RETRY_DELAY=10m); flags win.',
].join('\n');

export function runOptions(y: Argv): Argv {
  return y
    .option('skip-generate', {
      type: 'boolean',
      describe: 'Work on the raw files already in the lake (the nightly case)',
      default: false,
      group: 'Run:',
    })
    .option('date', { type: 'string', describe: 'Backfill one day: same as --from DATE --to DATE', group: 'Run:' })
    .option('retries', { type: 'number', describe: 'Extra attempts for a failing task', default: DEFAULT_RETRIES, group: 'Run:' })
    .option('retry-delay', {
      type: 'string',
      describe: 'Wait before the first retry (100ms, 300s, 5m, 1h); doubles each retry',
      default: DEFAULT_RETRY_DELAY,
      group: 'Run:',
    });
}

/** The command line, for the lock file and `runs`: what is holding the state. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  return redact(['marketing-etl', ...argv].join(' '));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (d: string): boolean => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));

/** The retry policy from --retries and --retry-delay. */
export function toRetryPolicy(argv: Args): RetryPolicy {
  const retries = argv.retries as number;
  const delayText = String(argv.retryDelay ?? DEFAULT_RETRY_DELAY);
  const delayMs = parseDuration(delayText);
  const problems: string[] = [];
  if (!Number.isInteger(retries) || retries < 0) problems.push(`--retries must be a whole number >= 0 (got ${argv.retries})`);
  if (Number.isNaN(delayMs)) problems.push(`--retry-delay must be a duration such as 100ms, 300s, 5m or 1h (got "${delayText}")`);
  if (problems.length) throw new ConfigError(problems.join('; '));
  return { retries, delayMs };
}

/**
 * One run's options. `fresh` recomputes the default date range (the 90 days ending yesterday) at call time,
 * so a schedule that runs for weeks still processes the right days; explicit dates are kept.
 */
export function toPipelineOptions(argv: Args, trigger: RunTrigger, command: string, startDefaults = defaultDateRange()): PipelineOptions {
  const date = argv.date as string | undefined;
  if (date !== undefined && !isDate(date)) throw new ConfigError(`--date must be YYYY-MM-DD (got "${date}")`);
  const explicitRange = argv.from !== startDefaults.from || argv.to !== startDefaults.to;
  const range = date ? { from: date, to: date } : explicitRange ? { from: argv.from as string, to: argv.to as string } : defaultDateRange();
  if (!isDate(range.from) || !isDate(range.to)) throw new ConfigError('--from and --to must be dates as YYYY-MM-DD');
  if (range.from > range.to) throw new ConfigError(`--from ${range.from} is after --to ${range.to}`);
  const runId = trigger === 'schedule' ? newRunId() : ((argv.runId as string | undefined) ?? newRunId());
  const generate = { ...toGenerateOptions(argv), ...range, runId };
  return {
    runId,
    trigger,
    runDate: range.to,
    from: range.from,
    to: range.to,
    fullRefresh: transformArgs(argv, runId).fullRefresh,
    maxRejectRate: transformArgs(argv, runId).maxRejectRate,
    ...(argv.skipGenerate === true ? {} : { generate }),
    retry: toRetryPolicy(argv),
    command,
  };
}
