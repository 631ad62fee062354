// The generator's I/O shell: streams seeded fact rows as CSV batches into the lake, one batch in memory at a time.
import { randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { joinKey, type Lake } from '../lake/lake.js';
import type { Logger } from '../log.js';
import { AUDIENCES, addDays, buildCampaigns, CSV_COLUMNS, dayCount, factLine } from './model.js';
import { Rng } from './rng.js';

export const RAW_PREFIX = 'raw/ads/';
export const DEFAULT_ROWS = 500_000;
export const DEFAULT_BATCH_ROWS = 10_000;
export const DEFAULT_DAYS = 90;
export const DEFAULT_SEED = 42;

export interface GenerateOptions {
  rows: number;
  batchRows: number;
  /** First and last date (ISO, inclusive). */
  from: string;
  to: string;
  /** Campaign count; by default just enough for `rows` over the date range. */
  campaigns?: number;
  seed: number;
  /** Identifies the batch folder; fixed in tests for byte-identical names. */
  runId: string;
}

export interface GenerateResult {
  runId: string;
  rows: number;
  files: string[];
  bytes: number;
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

function validate(options: GenerateOptions): number {
  const problems: string[] = [];
  if (!Number.isInteger(options.rows) || options.rows < 1) problems.push('--rows must be a whole number >= 1');
  if (!Number.isInteger(options.batchRows) || options.batchRows < 1) problems.push('--batch-rows must be a whole number >= 1');
  const dateOk = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
  if (!dateOk(options.from) || !dateOk(options.to)) problems.push('--from and --to must be dates as YYYY-MM-DD');
  const days = problems.length ? 0 : dayCount(options.from, options.to);
  if (!problems.length && days < 1) problems.push(`--from ${options.from} is after --to ${options.to}`);
  if (!/^[A-Za-z0-9=_.-]+$/.test(options.runId)) problems.push('--run-id may hold only letters, digits and = _ . -');
  const campaigns = options.campaigns ?? Math.ceil(options.rows / Math.max(1, days * AUDIENCES.length));
  if (!problems.length && campaigns * days * AUDIENCES.length < options.rows) {
    problems.push(
      `--rows ${options.rows} exceeds ${campaigns} campaigns x ${days} days x ${AUDIENCES.length} audiences; widen the dates or add campaigns`,
    );
  }
  if (problems.length) throw new ConfigError(problems.join('; '));
  return campaigns;
}

/** Generates the batches and writes them to `<lake>/raw/ads/run=<runId>/part-NNNNN.csv`. */
export async function generate(options: GenerateOptions, lake: Lake, log: Logger): Promise<GenerateResult> {
  const campaignCount = validate(options);
  const campaigns = buildCampaigns(options.seed, campaignCount);
  const rng = new Rng(options.seed);
  const header = `${CSV_COLUMNS.join(',')}\n`;
  const files: string[] = [];
  let bytes = 0;
  const progress = log.progress('generate', options.rows);
  try {
    for (let start = 0, part = 1; start < options.rows; start += options.batchRows, part++) {
      const end = Math.min(options.rows, start + options.batchRows);
      const lines: string[] = [];
      for (let i = start; i < end; i++) lines.push(factLine(rng, campaigns, options.from, i));
      const body = `${header}${lines.join('\n')}\n`;
      const key = joinKey(RAW_PREFIX, `run=${options.runId}`, `part-${String(part).padStart(5, '0')}.csv`);
      await lake.write(key, body);
      files.push(key);
      bytes += Buffer.byteLength(body);
      progress.tick(end - start);
    }
  } finally {
    progress.stop();
  }
  return { runId: options.runId, rows: options.rows, files, bytes };
}
