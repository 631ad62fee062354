// The `pipeline` bench stage: generate -> transform -> report through the real CLI, each command a fresh process,
// for every lake (local, S3 on moto) and row count asked for. The transform's own parts (load and models, checks,
// publish) come from its JSON log lines.
import { loggedSeconds, runCli } from './cli-run.js';
import { LAKE_KINDS, type LakeKind, openLakes, type Workspace } from './lakes.js';
import { type BenchStage, type Measurement, measurement, parseCounts, parseNames, type StageArgs } from './stage.js';

export const STEPS = ['generate', 'transform', 'report'] as const;
export type Step = (typeof STEPS)[number];

export const DEFAULT_PIPELINE_ROWS = [1_000_000, 10_000_000];
export const SEED = '42';
export const FROM = '2026-01-01';
export const TO = '2026-03-31';

/** `generate` into the workspace's lake; returns rows and CSV bytes written (from its log). */
export async function generateInto(ws: Workspace, rows: number, extra: string[] = []): Promise<Measurement & { bytesWritten: number }> {
  const run = await runCli(
    ['generate', ...ws.args, '--rows', String(rows), '--seed', SEED, '--from', FROM, '--to', TO, '--run-id', 'bench-history', ...extra],
    ws.env,
  );
  const done = run.logs.find((l) => l.msg === 'generate done');
  const bytes = Math.round(Number(done?.mb ?? 0) * 1e6);
  const m = measurement('generate', { ...run, rows, bytes }, { files: done?.files });
  return { ...m, bytesWritten: bytes };
}

/** `transform` (load + models, checks, publish); the main measurement plus one per part, from the log. */
export async function transformIn(ws: Workspace, bytes: number, label: string, extra: string[] = []): Promise<Measurement[]> {
  const run = await runCli(['transform', ...ws.args, ...extra], ws.env);
  const done = run.logs.find((l) => l.msg === 'transform done');
  const rawRows = Number(done?.raw_rows ?? 0);
  const parts: Measurement[] = [];
  for (const [msg, name] of [
    ['transform done', 'load + models'],
    ['checks done', 'checks'],
    ['publish done', 'publish'],
  ] as const) {
    const seconds = loggedSeconds(run, msg);
    if (seconds === undefined) continue;
    // Parts run in the same process: their peak RSS is the whole command's, CPU is not split.
    parts.push(measurement(`  ${name}`, { rows: rawRows, bytes, seconds, peakRssMb: run.peakRssMb, cpuSeconds: 0 }, { part_of: label }));
  }
  const main = measurement(label, { ...run, rows: rawRows, bytes }, { master_rows: done?.master_rows, new_files: done?.new_files });
  return [main, ...parts];
}

async function reportIn(ws: Workspace, masterRows: number): Promise<Measurement> {
  const run = await runCli(['report', ...ws.args, '--format', 'json', '--output', `${ws.dir}/kpis.json`], ws.env);
  return measurement('report', { ...run, rows: masterRows, bytes: 0 });
}

export const pipelineStage: BenchStage = {
  name: 'pipeline',
  describe: 'generate -> transform -> report through the CLI, one fresh process per command (the default stage)',
  flags: {
    rows: `row counts, comma-separated (default ${DEFAULT_PIPELINE_ROWS.join(',')}; 1m and 500k work too)`,
    lake: `lakes, comma-separated: ${LAKE_KINDS.join(', ')} (default both; s3 starts moto_server on loopback)`,
    steps: `steps, comma-separated: ${STEPS.join(', ')} (default all; transform and report need the steps before them)`,
    dir: 'folder for the temporary work folders (default: the OS temp folder)',
    keep: 'keep the work folders (lake, state, outputs) for a look afterwards',
  },
  async run(args: StageArgs, emit) {
    const rowsList = parseCounts(args.rows, DEFAULT_PIPELINE_ROWS);
    const kinds = parseNames<LakeKind>('lake', args.lake, LAKE_KINDS, LAKE_KINDS);
    const steps = parseNames<Step>('steps', args.steps ?? args.stages, STEPS, STEPS);
    const lakes = await openLakes(kinds, args.dir, args.keep !== undefined);
    try {
      for (const kind of kinds) {
        for (const rows of rowsList) {
          const ws = await lakes.workspace(kind, `${rows}`);
          const tag = (m: Measurement): Measurement => ({
            ...m,
            label: `${kind} ${(rows / 1e6).toLocaleString('en-US')}M ${m.label}`,
            settings: { lake: kind, ...m.settings },
          });
          // Transform and report need the data: generate always runs, and is only reported when asked for.
          const generated = await generateInto(ws, rows);
          if (steps.includes('generate')) emit(tag(generated));
          if (!steps.includes('transform') && !steps.includes('report')) continue;
          const transformed = await transformIn(ws, generated.bytesWritten, 'transform');
          if (steps.includes('transform')) for (const m of transformed) emit(tag(m));
          if (steps.includes('report')) emit(tag(await reportIn(ws, Number(transformed[0]?.settings.master_rows ?? 0))));
        }
      }
    } finally {
      await lakes.close();
    }
  },
};
