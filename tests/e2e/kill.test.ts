// SIGKILL of the CLI at marked points (debug log lines at phase starts): the state is as before or as after,
// no partial file sits under a final name, and the next run cleans up and ends with the uninterrupted master.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withEngine } from '../../src/engine/duckdb.js';
import { runCli, SQL_DIR } from '../helpers/cli.js';
import { startCli } from '../helpers/spawn.js';
import { readState, type StateSnapshot, tempFilesUnder } from '../helpers/state.js';
import { tempDir } from '../helpers/tmp.js';

// Big enough that the model and Parquet phases last a few hundred ms even on an idle machine.
const GENERATE = ['generate', '--rows', '200000', '--batch-rows', '50000', '--from', '2026-01-01', '--to', '2026-03-31', '--seed', '7'];
const TRANSFORM = ['transform', '--sql-dir', SQL_DIR];
const STATE = 'data/state/warehouse.duckdb';

let lake: string | undefined;

/** A fresh working folder holding the same generated lake (generated once, then copied). */
async function generated(label: string): Promise<string> {
  const cwd = tempDir(label);
  if (lake === undefined) {
    const r = await runCli([...GENERATE, '--run-id', 'k1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    lake = path.join(tempDir('e2e-kill-lake'), 'lake');
    fs.cpSync(path.join(cwd, 'data/lake'), lake, { recursive: true });
  } else {
    fs.cpSync(lake, path.join(cwd, 'data/lake'), { recursive: true });
  }
  return cwd;
}

/** Starts a transform at debug level and SIGKILLs it as soon as `marker` appears on stderr. */
async function killAt(cwd: string, marker: RegExp): Promise<string> {
  const running = startCli([...TRANSFORM, '--log-level', 'debug'], { cwd });
  try {
    await running.waitFor(marker, 90_000);
  } finally {
    running.child.kill('SIGKILL');
  }
  const done = await running.done;
  expect(done.signal).toBe('SIGKILL');
  return running.stderr();
}

/** Parquet files under a final name below `dir` (not in a temporary file or folder), relative to it. */
function parquetUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet') && !f.includes('.mketl-tmp-'));
}

/** Every Parquet file under a final name in the output folder reads whole. */
async function expectWholeParquet(dir: string): Promise<number> {
  if (!fs.existsSync(dir)) return 0; // killed before the first file was begun
  const files = parquetUnder(dir);
  await withEngine({ path: ':memory:' }, async (engine) => {
    for (const f of files) await engine.all(`select count(*) from read_parquet('${path.join(dir, f)}')`);
  });
  return files.length;
}

describe('SIGKILL at marked points (local lake)', () => {
  let reference: StateSnapshot;
  let referenceParquet = 0;

  beforeAll(async () => {
    const cwd = await generated('e2e-kill-ref');
    const r = await runCli(TRANSFORM, { cwd });
    expect(r.code, r.stderr).toBe(0);
    reference = await readState(path.join(cwd, STATE));
    referenceParquet = await expectWholeParquet(path.join(cwd, 'data/output'));
    expect(referenceParquet).toBeGreaterThan(2);
    expect(reference.masterRows).toBeGreaterThan(150_000);
    expect(reference.manifest).toHaveLength(4);
  });

  it('during the transform: state as before; the next run loads everything once', async () => {
    const cwd = await generated('e2e-kill-transform');
    const stderr = await killAt(cwd, /running model {2}file=models\/0[2-9]\d_/);
    expect(stderr).not.toContain('transform done'); // the kill landed inside the transaction
    const after = await readState(path.join(cwd, STATE));
    expect(after.manifest).toEqual([]);
    expect(after.masterRows).toBe(0);
    expect(fs.existsSync(path.join(cwd, `${STATE}.lock`))).toBe(true); // the dead run's lock is left...

    const next = await runCli(TRANSFORM, { cwd }); // ...and does not block the next run
    expect(next.code, next.stderr).toBe(0);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    expect(tempFilesUnder(cwd)).toEqual([]);
    expect(fs.existsSync(path.join(cwd, `${STATE}.lock`))).toBe(false);
  });

  it('during the Parquet write: state as after, no partial Parquet under a final name, temp files gone after the next run', async () => {
    const cwd = await generated('e2e-kill-parquet');
    const stderr = await killAt(cwd, /writing parquet {2}key=curated\//);
    expect(stderr).not.toMatch(/writing parquet {2}key=marts\//);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    const out = path.join(cwd, 'data/output');
    expect(parquetUnder(path.join(out, 'curated/campaign_daily'))).toEqual([]);
    await expectWholeParquet(out);
    // Add what a crash between write and rename leaves (in case the kill came before DuckDB began the file).
    const orphan = path.join(out, 'curated/campaign_daily/campaign_daily.parquet.mketl-tmp-999999-dead');
    fs.mkdirSync(path.dirname(orphan), { recursive: true });
    fs.writeFileSync(orphan, 'PAR1 half');

    const next = await runCli(TRANSFORM, { cwd });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/WARN cleaned up after an interrupted run {2}temp_files=[1-9]/);
    expect(await readState(path.join(cwd, STATE))).toEqual(reference);
    expect(await expectWholeParquet(out)).toBe(referenceParquet);
    expect(tempFilesUnder(cwd)).toEqual([]);
  });
});
