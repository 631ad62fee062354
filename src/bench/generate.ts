// The `generate` bench stage: N rows to a local lake in a temporary folder, plus a run of N/10 rows with the same
// campaigns, to show that peak RSS does not grow with --rows.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { dayCount } from '../generate/calendar.js';
import { campaignsNeeded } from '../generate/campaigns.js';
import { DEFAULT_BATCH_ROWS, defaultThreads, generate } from '../generate/generate.js';
import { MAX_CAMPAIGNS, rowsOnDay } from '../generate/plan.js';
import { LocalLake } from '../lake/local.js';
import { createLogger } from '../log.js';
import { inChild } from './child.js';
import type { BenchStage, Measurement, StageArgs } from './stage.js';
import { measured } from './stage.js';

const DEFAULT_ROWS = 10_000_000;
const SEED = 42;
const FROM = '2026-01-01';
const TO = '2026-03-31';

const num = (value: string | undefined, fallback: number): number => (value === undefined ? fallback : Number(value));

type GenerateParams = { rows: number; campaigns: number; threads: number; batchRows: number; dirtyRate: number; dir: string };

export const generateStage: BenchStage & {
  plan(args: StageArgs): GenerateParams[];
  measure(params: Record<string, unknown>): Promise<Measurement>;
} = {
  name: 'generate',
  describe: 'synthetic rows -> CSV batches in a local lake (a temporary folder, removed afterwards)',
  flags: {
    rows: `rows of the main run (default ${DEFAULT_ROWS.toLocaleString('en-US')})`,
    'reference-rows': 'rows of the reference run that peak RSS is compared with (default rows / 10; 0 skips it)',
    campaigns: 'campaigns of both runs (default: what the main run needs, so only the row count differs)',
    threads: 'worker threads (default: as the CLI picks)',
    'batch-rows': `rows per CSV file (default ${DEFAULT_BATCH_ROWS.toLocaleString('en-US')})`,
    'dirty-rate': 'share of corrupted rows (default 0)',
    dir: 'folder for the temporary lakes (default: the OS temp folder)',
  },
  plan(args: StageArgs) {
    const rows = num(args.rows, DEFAULT_ROWS);
    const reference = num(args['reference-rows'], Math.floor(rows / 10));
    const days = dayCount(FROM, TO);
    const common = {
      campaigns: num(args.campaigns, campaignsNeeded(SEED, days, rowsOnDay(rows, days, 0), MAX_CAMPAIGNS)),
      threads: num(args.threads, defaultThreads(rows)),
      batchRows: num(args['batch-rows'], DEFAULT_BATCH_ROWS),
      dirtyRate: num(args['dirty-rate'], 0),
      dir: args.dir ?? os.tmpdir(),
    };
    return [...(reference > 0 ? [{ ...common, rows: reference }] : []), { ...common, rows }];
  },
  async run(args, emit) {
    const results: Measurement[] = [];
    for (const params of this.plan(args)) {
      const m = await inChild('generate', params);
      results.push(m);
      emit(m);
    }
    if (results.length > 1) {
      const [first, last] = [results[0] as Measurement, results.at(-1) as Measurement];
      process.stdout.write(
        `peak RSS ${first.peakRssMb.toFixed(0)} MB at ${first.rows.toLocaleString('en-US')} rows vs ${last.peakRssMb.toFixed(0)} MB at ` +
          `${last.rows.toLocaleString('en-US')} rows (x${(last.peakRssMb / first.peakRssMb).toFixed(2)} for x${(last.rows / first.rows).toFixed(0)} rows)\n`,
      );
    }
  },
  async measure(params): Promise<Measurement> {
    const { rows, campaigns, threads, batchRows, dirtyRate, dir } = params as GenerateParams;
    await fs.mkdir(dir, { recursive: true });
    const root = await fs.mkdtemp(path.join(dir, 'mketl-bench-'));
    try {
      const log = createLogger({ level: 'silent', format: 'json' });
      const options = { rows, campaigns, batchRows, threads, dirtyRate, seed: SEED, from: FROM, to: TO, runId: 'bench' };
      const m = await measured(() => generate(options, new LocalLake(root), log));
      return {
        label: `generate ${rows.toLocaleString('en-US')} rows`,
        rows,
        bytes: m.value.bytes,
        seconds: m.seconds,
        rowsPerSecond: rows / m.seconds,
        mbPerSecond: m.value.bytes / 1e6 / m.seconds,
        peakRssMb: m.peakRssMb,
        cpuSeconds: m.cpuSeconds,
        settings: { threads, batchRows, dirtyRate, files: m.value.files.length, campaigns: m.value.campaigns },
      };
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  },
};
