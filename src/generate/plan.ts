// Options -> a validated, immutable plan: dates, campaigns, and how rows spread over days and batches.
import { ConfigError } from '../errors.js';
import { type PackedPieces, Pieces } from './bytes.js';
import { addDays, dayCount, isIsoDate, isWeekend } from './calendar.js';
import { buildCampaigns, type CampaignTable, campaignsNeeded, minDailySlots } from './campaigns.js';
import { AUDIENCES, PLATFORMS } from './lists.js';

export interface GenerateOptions {
  rows: number;
  batchRows: number;
  /** First and last date (ISO, inclusive). */
  from: string;
  to: string;
  /** Campaign count; by default just enough for `rows` over the date range. */
  campaigns?: number;
  seed: number;
  /** Share of rows to corrupt, 0 to 0.5; each corrupted row carries exactly one kind of dirt. */
  dirtyRate?: number;
  /** Identifies the batch folder; fixed in tests for byte-identical names. */
  runId: string;
  /** Worker threads that encode batches; 0 (the default) encodes in this thread. The bytes are the same either way. */
  threads?: number;
}

export const MAX_ROWS = 1_000_000_000;
export const MAX_BATCH_ROWS = 1_000_000;
export const MAX_BATCHES = 99_999;
export const MAX_DAYS = 3_660;
export const MAX_CAMPAIGNS = 1_000_000;
export const MAX_DIRTY_RATE = 0.5;
export const MAX_THREADS = 16;

export interface Plan {
  readonly seed: number;
  readonly rows: number;
  readonly batchRows: number;
  readonly batches: number;
  readonly dirtyRate: number;
  readonly days: number;
  /** ISO date of each day offset. */
  readonly dates: readonly string[];
  readonly weekend: Uint8Array;
  readonly campaigns: CampaignTable;
  /** The texts lines are made of, packed: campaign `c`'s prefix is piece `c`, then dates, platforms, audiences. */
  readonly pieces: PackedPieces;
  readonly firstDatePiece: number;
  readonly firstPlatformPiece: number;
  readonly firstAudiencePiece: number;
}

/** The plan without the campaign strings, which only the packed pieces need: what worker threads receive. */
export function slimPlan(plan: Plan): Plan {
  return { ...plan, dates: [], campaigns: { ...plan.campaigns, ids: [], names: [], prefixes: [] } };
}

const whole = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** Every problem with `options`, as user-facing sentences; empty when they are fine. */
export function optionProblems(options: GenerateOptions): string[] {
  const problems: string[] = [];
  const fmt = (n: number) => n.toLocaleString('en-US');
  if (!whole(options.rows, 1, MAX_ROWS)) problems.push(`--rows must be a whole number from 1 to ${fmt(MAX_ROWS)} (got ${options.rows})`);
  if (!whole(options.batchRows, 1, MAX_BATCH_ROWS)) {
    problems.push(`--batch-rows must be a whole number from 1 to ${fmt(MAX_BATCH_ROWS)} (got ${options.batchRows})`);
  }
  if (!problems.length && Math.ceil(options.rows / options.batchRows) > MAX_BATCHES) {
    problems.push(
      `--rows ${options.rows} in batches of ${options.batchRows} makes more than ${fmt(MAX_BATCHES)} files; raise --batch-rows`,
    );
  }
  const datesOk = isIsoDate(options.from) && isIsoDate(options.to);
  if (!isIsoDate(options.from)) problems.push(`--from must be a date as YYYY-MM-DD (got "${options.from}")`);
  if (!isIsoDate(options.to)) problems.push(`--to must be a date as YYYY-MM-DD (got "${options.to}")`);
  if (datesOk && dayCount(options.from, options.to) < 1) problems.push(`--from ${options.from} is after --to ${options.to}`);
  if (datesOk && dayCount(options.from, options.to) > MAX_DAYS) problems.push(`--from to --to spans more than ${fmt(MAX_DAYS)} days`);
  if (options.campaigns !== undefined && !whole(options.campaigns, 1, MAX_CAMPAIGNS)) {
    problems.push(`--campaigns must be a whole number from 1 to ${fmt(MAX_CAMPAIGNS)} (got ${options.campaigns})`);
  }
  if (!Number.isSafeInteger(options.seed)) problems.push(`--seed must be a whole number (got ${options.seed})`);
  const rate = options.dirtyRate ?? 0;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= MAX_DIRTY_RATE)) {
    problems.push(`--dirty-rate must be a fraction from 0 to ${MAX_DIRTY_RATE} (got ${rate})`);
  }
  if (options.threads !== undefined && !whole(options.threads, 0, MAX_THREADS)) {
    problems.push(`--threads must be a whole number from 0 to ${MAX_THREADS} (got ${options.threads})`);
  }
  if (!/^[A-Za-z0-9=_.-]{1,100}$/.test(options.runId) || options.runId.startsWith('.')) {
    problems.push(`--run-id may hold only letters, digits and = _ . - (1 to 100 of them, not starting with a dot; got "${options.runId}")`);
  }
  return problems;
}

/** Rows on each day: the rows spread evenly, the first `rows % days` days take one more. */
export function rowsOnDay(rows: number, days: number, day: number): number {
  return Math.floor(rows / days) + (day < rows % days ? 1 : 0);
}

/** The day of global row `index` and its position within that day. */
export function dayOfRow(rows: number, days: number, index: number): { day: number; within: number } {
  const base = Math.floor(rows / days);
  const long = rows % days;
  const head = long * (base + 1);
  if (index < head) return { day: Math.floor(index / (base + 1)), within: index % (base + 1) };
  return { day: long + Math.floor((index - head) / base), within: (index - head) % base };
}

/** Validates the options and builds the plan: throws a ConfigError naming every problem at once. */
export async function makePlan(options: GenerateOptions): Promise<Plan> {
  const problems = optionProblems(options);
  const fail = (list: string[]) => new ConfigError(list.join('; '), { hint: 'See marketing-etl generate --help.' });
  if (problems.length) throw fail(problems);
  const days = dayCount(options.from, options.to);
  const perDay = rowsOnDay(options.rows, days, 0);
  const count = options.campaigns ?? campaignsNeeded(options.seed, days, perDay, MAX_CAMPAIGNS);
  const fewest = minDailySlots(options.seed, count, days);
  if (fewest.slots < perDay) {
    const date = addDays(options.from, fewest.day);
    throw fail([
      `--rows ${options.rows} puts ${perDay} rows on each day, but with ${count} campaigns only ${fewest.slots} ` +
        `(campaign, audience) pairs are active on ${date} (${AUDIENCES.length} audiences per campaign); ` +
        'raise --campaigns (or leave it out), widen --from/--to, or lower --rows',
    ]);
  }
  const dates = Array.from({ length: days }, (_, d) => addDays(options.from, d));
  const campaigns = await buildCampaigns(options.seed, count, days);
  const pieces = new Pieces();
  for (const prefix of campaigns.prefixes) pieces.add(prefix);
  for (const date of dates) pieces.add(date);
  for (const p of PLATFORMS) pieces.add(p.label);
  for (const a of AUDIENCES) pieces.add(a.label);
  return {
    seed: options.seed,
    rows: options.rows,
    batchRows: options.batchRows,
    batches: Math.ceil(options.rows / options.batchRows),
    dirtyRate: options.dirtyRate ?? 0,
    days,
    dates,
    weekend: Uint8Array.from(dates, (d) => (isWeekend(d) ? 1 : 0)),
    campaigns,
    pieces: pieces.seal(),
    firstDatePiece: count,
    firstPlatformPiece: count + days,
    firstAudiencePiece: count + days + PLATFORMS.length,
  };
}
