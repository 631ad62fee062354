// The `e2e` bench stage: one `marketing-etl run` (generate -> ingest -> transform -> checks -> publish -> report) in a
// fresh process, by default 500,000 rows on S3 (moto on loopback): the replaced Python system took about 50 s.
import { runCli } from './cli-run.js';
import { LAKE_KINDS, type LakeKind, openLakes } from './lakes.js';
import { FROM, SEED, TO } from './pipeline.js';
import { type BenchStage, measurement, parseCounts, parseNames, type StageArgs } from './stage.js';

const TASKS = ['generate', 'ingest', 'transform', 'checks', 'publish', 'report'];

export const e2eStage: BenchStage = {
  name: 'e2e',
  describe: 'one `marketing-etl run` end to end, fresh state (default 500,000 rows on S3 through moto)',
  flags: {
    rows: 'row counts, comma-separated (default 500000)',
    lake: `lakes, comma-separated: ${LAKE_KINDS.join(', ')} (default s3)`,
    repeat: 'runs per lake and size, each into a fresh lake and state (default 3)',
    dir: 'folder for the temporary work folders (default: the OS temp folder)',
    keep: 'keep the work folders',
  },
  async run(args: StageArgs, emit) {
    const rowsList = parseCounts(args.rows, [500_000]);
    const kinds = parseNames<LakeKind>('lake', args.lake, LAKE_KINDS, ['s3']);
    const repeat = Number(args.repeat ?? 3);
    const lakes = await openLakes(kinds, args.dir, args.keep !== undefined);
    try {
      for (const kind of kinds) {
        for (const rows of rowsList) {
          for (let i = 1; i <= repeat; i++) {
            const ws = await lakes.workspace(kind, `e2e-${rows}-${i}`);
            const run = await runCli(
              [
                'run',
                ...ws.args,
                '--rows',
                String(rows),
                '--seed',
                SEED,
                '--from',
                FROM,
                '--to',
                TO,
                '--run-id',
                `bench-e2e-${i}`,
                '--retries',
                '0',
              ],
              ws.env,
            );
            const tasks: Record<string, number> = {};
            for (const t of TASKS) {
              const line = run.logs.find((l) => l.msg === `task ${t} done`);
              if (typeof line?.seconds === 'number') tasks[t] = line.seconds;
            }
            // The ingest task's detail names the new raw bytes: "100 new raw files (78.1 MB), 0 empty skipped".
            const ingest = String(run.logs.find((l) => l.msg === 'task ingest done')?.detail ?? '');
            const bytes = Math.round(Number(/\(([0-9.]+) MB\)/.exec(ingest)?.[1] ?? 0) * 1e6);
            emit(
              measurement(
                `${kind} ${(rows / 1e6).toLocaleString('en-US')}M run #${i}`,
                { ...run, rows, bytes },
                { lake: kind, task_seconds: tasks },
              ),
            );
          }
        }
      }
    } finally {
      await lakes.close();
    }
  },
};
