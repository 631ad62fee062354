// The `incremental` bench stage: a master of N rows (the history), then nightly runs that each add one day, to show
// that a night costs time in proportion to the new day, not to the history.
import { addDays } from '../generate/calendar.js';
import { runCli } from './cli-run.js';
import { LAKE_KINDS, type LakeKind, openLakes } from './lakes.js';
import { generateInto, SEED, TO, transformIn } from './pipeline.js';
import { type BenchStage, parseCounts, parseNames, type StageArgs } from './stage.js';

const DAYS = 90;

export const incrementalStage: BenchStage = {
  name: 'incremental',
  describe: `a master of N rows over ${DAYS} days, then nights that each add one day (about N / ${DAYS} rows)`,
  flags: {
    rows: 'history rows, comma-separated (default 1000000,10000000)',
    nights: 'nightly runs after the history (default 2)',
    lake: `lakes, comma-separated: ${LAKE_KINDS.join(', ')} (default local)`,
    dir: 'folder for the temporary work folders (default: the OS temp folder)',
    keep: 'keep the work folders',
  },
  async run(args: StageArgs, emit) {
    const rowsList = parseCounts(args.rows, [1_000_000, 10_000_000]);
    const kinds = parseNames<LakeKind>('lake', args.lake, LAKE_KINDS, ['local']);
    const nights = Number(args.nights ?? 2);
    const lakes = await openLakes(kinds, args.dir, args.keep !== undefined);
    try {
      for (const kind of kinds) {
        for (const rows of rowsList) {
          const ws = await lakes.workspace(kind, `incremental-${rows}`);
          const prefix = `${kind} ${(rows / 1e6).toLocaleString('en-US')}M`;
          const history = await generateInto(ws, rows);
          const [full] = await transformIn(ws, history.bytesWritten, 'history transform');
          if (full) emit({ ...full, label: `${prefix} ${full.label}`, settings: { lake: kind, ...full.settings } });
          for (let night = 1; night <= nights; night++) {
            const day = addDays(TO, night);
            const dayRows = Math.round(rows / DAYS);
            const gen = await runCli(
              [
                'generate',
                ...ws.args,
                '--rows',
                String(dayRows),
                '--seed',
                SEED,
                '--from',
                day,
                '--to',
                day,
                '--run-id',
                `bench-night-${night}`,
              ],
              ws.env,
            );
            const bytes = Math.round(Number(gen.logs.find((l) => l.msg === 'generate done')?.mb ?? 0) * 1e6);
            for (const m of await transformIn(ws, bytes, `night ${night} transform`)) {
              emit({ ...m, label: `${prefix} ${m.label}`, settings: { lake: kind, day, history_rows: rows, ...m.settings } });
            }
          }
        }
      }
    } finally {
      await lakes.close();
    }
  },
};
