// The generator's I/O shell: plans the run, has batches encoded, writes them and the manifest through the Lake.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConfigError } from '../errors.js';
import { joinKey, type Lake } from '../lake/lake.js';
import type { Logger } from '../log.js';
import { addDays } from './calendar.js';
import { DIRT_KINDS, type DirtCounts, noDirt } from './dirt.js';
import { MANIFEST_NAME, manifestJson, type RunManifest } from './manifest.js';
import { type GenerateOptions, makePlan, optionProblems } from './plan.js';
import { Encoders, encoderCount, produceBatches } from './produce.js';

export type { GenerateOptions } from './plan.js';
export type { Encoders } from './produce.js';

export const RAW_PREFIX = 'raw/ads/';
export const DEFAULT_ROWS = 500_000;
export const DEFAULT_BATCH_ROWS = 10_000;
export const DEFAULT_DAYS = 90;
export const DEFAULT_SEED = 42;
export const DEFAULT_DIRTY_RATE = 0;

export interface GenerateResult {
  runId: string;
  rows: number;
  /** Keys of the CSV batches, in order. */
  files: string[];
  /** Bytes of CSV written. */
  bytes: number;
  campaigns: number;
  dirt: DirtCounts;
  manifestKey: string;
}

/** Below this many rows, starting threads costs more than it saves. */
const THREADS_FROM_ROWS = 100_000;

/** The thread count when none is given: one per core, at most 4, for runs large enough to gain from them. */
export function defaultThreads(rows: number): number {
  return rows >= THREADS_FROM_ROWS ? Math.min(4, availableParallelism()) : 0;
}

/** A fresh run id: UTC time plus randomness, so that runs never collide. */
export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** The default date range: the `DEFAULT_DAYS` days that end yesterday (UTC). */
export function defaultDateRange(now = new Date()): { from: string; to: string } {
  const to = addDays(now.toISOString().slice(0, 10), -1);
  return { from: addDays(to, -(DEFAULT_DAYS - 1)), to };
}

/** The folder of one run's batches. */
export function runPrefix(runId: string): string {
  return joinKey(RAW_PREFIX, `run=${runId}`);
}

/** The key of batch `batch` (0-based): part-00001.csv is the first. */
export function partKey(runId: string, batch: number): string {
  return joinKey(runPrefix(runId), `part-${String(batch + 1).padStart(5, '0')}.csv`);
}

/**
 * Generates the run: CSV batches at `<lake>/raw/ads/run=<runId>/part-NNNNN.csv`, then `_manifest.json` beside them.
 * Memory holds a few batches at a time (two per thread), whatever --rows is. Refuses a run id that the lake already holds,
 * because raw files are immutable.
 */
export async function generate(options: GenerateOptions, lake: Lake, log: Logger, started?: Encoders): Promise<GenerateResult> {
  // Threads the caller started (see startEncoders) serve the first call; otherwise this starts its own first, so that
  // they load their code while the plan is made and the run id is checked. Either way they stop when it is done.
  const encoders = started?.claim() ? started : startEncoders(options);
  try {
    return await generateWith(encoders, options, lake, log);
  } finally {
    await encoders.stop();
  }
}

/** The encoder threads `generate(options, ...)` will use, started now; none for invalid options (makePlan says why). */
export function startEncoders(options: GenerateOptions): Encoders {
  const valid = optionProblems(options).length === 0;
  return new Encoders(valid ? encoderCount(options.threads ?? 0, options.rows, options.batchRows) : 0);
}

async function generateWith(encoders: Encoders, options: GenerateOptions, lake: Lake, log: Logger): Promise<GenerateResult> {
  const prefix = runPrefix(options.runId);
  // Listed while the plan is made; a problem with the options is still reported first.
  const existing = lake.list(`${prefix}/`);
  existing.catch(() => undefined);
  const plan = await makePlan(options);
  if ((await existing).length > 0) {
    throw new ConfigError(`run id ${options.runId} already exists in ${lake.uri}/${prefix}; raw files are never overwritten`, {
      hint: 'Leave out --run-id to get a fresh one, or pick another.',
    });
  }
  log.debug('generate plan', { campaigns: plan.campaigns.count, days: plan.days, batches: plan.batches });
  const files: string[] = new Array(plan.batches);
  const dirt = noDirt();
  let bytes = 0;
  const progress = log.progress('generate', plan.rows);
  try {
    await produceBatches(
      plan,
      options.threads ?? 0,
      async (produced) => {
        const key = partKey(options.runId, produced.batch);
        await lake.write(key, produced.body);
        files[produced.batch] = key;
        bytes += produced.body.length;
        for (const kind of DIRT_KINDS) dirt[kind] += produced.dirt[kind];
        progress.tick(produced.rows);
      },
      encoders,
    );
  } finally {
    progress.stop();
  }
  const manifest: RunManifest = { run_id: options.runId, seed: options.seed, rows_written: plan.rows, files: files.length, dirt };
  const manifestKey = joinKey(prefix, MANIFEST_NAME);
  await lake.write(manifestKey, manifestJson(manifest));
  return { runId: options.runId, rows: plan.rows, files, bytes, campaigns: plan.campaigns.count, dirt, manifestKey };
}
