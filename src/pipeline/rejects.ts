// Lines the CSV parser rejected: the per-file report, and the --max-reject-rate limit that fails a run.
import { BadInputError, ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RawFileCount } from '../sql/raw-lines.js';

/** Default --max-reject-rate: a file may have at most 10% of its data lines rejected by the parser. */
export const DEFAULT_MAX_REJECT_RATE = 0.1;

/** Parses `--max-reject-rate`: a fraction (`0.1`) or a percentage (`10%`), between 0 and 1 (100%). */
export function parseRejectRate(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_MAX_REJECT_RATE;
  const text = String(value).trim();
  const percent = text.endsWith('%');
  const number = Number(percent ? text.slice(0, -1).trim() : text);
  const rate = percent ? number / 100 : number;
  if (text === '%' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new ConfigError(`--max-reject-rate must be a fraction from 0 to 1 or a percentage such as 10% (got "${text}")`);
  }
  return rate;
}

/** Logs one warning per file with rejected lines, and returns the total. */
export function reportRejects(counts: readonly RawFileCount[], log: Logger): number {
  let total = 0;
  for (const c of counts) {
    if (c.rejectedRows === 0) continue;
    total += c.rejectedRows;
    log.warn('raw lines rejected (malformed CSV, now in the quarantine)', {
      key: c.key,
      rejected: c.rejectedRows,
      lines: c.dataRows + c.rejectedRows,
    });
  }
  if (total > 0) log.warn('raw lines rejected in total', { rejected: total, files: counts.filter((c) => c.rejectedRows > 0).length });
  return total;
}

/** Throws, naming every file whose share of rejected lines is above `maxRate`; the caller then loads nothing. */
export function assertRejectRate(counts: readonly RawFileCount[], maxRate: number): void {
  const over = counts.filter((c) => c.rejectedRows > 0 && c.rejectedRows / (c.dataRows + c.rejectedRows) > maxRate);
  if (over.length === 0) return;
  const pct = (r: number): string => `${Math.round(r * 1000) / 10}%`;
  const list = over.map(
    (c) => `${c.key} (${c.rejectedRows} of ${c.dataRows + c.rejectedRows} lines, ${pct(c.rejectedRows / (c.dataRows + c.rejectedRows))})`,
  );
  throw new BadInputError(`raw file with too many malformed lines, above --max-reject-rate ${pct(maxRate)}: ${list.join('; ')}`, {
    hint: 'Fix or move the file out of raw/ads/ (or raise --max-reject-rate), then run again; nothing of this run was loaded.',
  });
}
