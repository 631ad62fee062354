// The state database under stress: a damaged file names itself and the rebuild, which restores the same master;
// `transform` and `generate` beside a running `run` cannot corrupt anything.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SQL_DIR } from '../helpers/cli.js';
import { startCli } from '../helpers/spawn.js';
import { readState } from '../helpers/state.js';
import { tempDir } from '../helpers/tmp.js';

const STATE = 'data/state/warehouse.duckdb';
const gen = (runId: string, seed: number, from: string, to: string): string[] => [
  'generate',
  '--rows',
  '2000',
  '--batch-rows',
  '500',
  '--seed',
  String(seed),
  '--from',
  from,
  '--to',
  to,
  '--run-id',
  runId,
];
const TRANSFORM = ['transform', '--sql-dir', SQL_DIR];

async function ok(args: string[], cwd: string): Promise<string> {
  const r = await runCli(args, { cwd });
  expect(r.code, r.stderr).toBe(0);
  return r.stderr;
}

describe('a damaged state database', () => {
  it('names the file and the rebuild; moving it away and --full-refresh restores the same master', async () => {
    const cwd = tempDir('e2e-corrupt');
    await ok(gen('a1', 1, '2026-01-01', '2026-01-31'), cwd);
    await ok(TRANSFORM, cwd);
    await ok(gen('a2', 2, '2026-02-01', '2026-02-28'), cwd);
    await ok(TRANSFORM, cwd);
    const state = path.join(cwd, STATE);
    const original = await readState(state);
    expect(original.manifest).toHaveLength(8);
    const good = fs.readFileSync(state);

    const damages: [string, (b: Buffer) => void][] = [
      ['a garbage header', (b) => b.fill(0x5a, 0, 8192)],
      ['damaged blocks behind a good header', (b) => b.fill(0xff, 12288)],
    ];
    for (const [label, damage] of damages) {
      const bytes = Buffer.from(good);
      damage(bytes);
      fs.writeFileSync(state, bytes);
      const r = await runCli(TRANSFORM, { cwd });
      expect(r.code, label).toBe(1);
      expect(r.stderr, label).toMatch(new RegExp(`^error: state database ${state.replaceAll('.', '\\.')} is damaged \\(`, 'm'));
      expect(r.stderr, label).toMatch(
        /^hint: .*mv .*warehouse\.duckdb .*warehouse\.duckdb\.damaged.*marketing-etl transform --full-refresh/m,
      );
      expect(r.stderr, label).not.toMatch(/^\s+at /m);
    }

    fs.renameSync(state, `${state}.damaged`);
    await ok([...TRANSFORM, '--full-refresh'], cwd);
    expect(await readState(state)).toEqual(original);
  });
});

describe('commands beside a running `run`', () => {
  it('transform exits at once naming the holder; generate adds files safely; the state stays whole', async () => {
    const cwd = tempDir('e2e-beside');
    await ok(gen('b1', 1, '2026-01-01', '2026-01-31'), cwd);
    const run = startCli(['run', '--skip-generate', '--sql-dir', SQL_DIR], { cwd });
    const pid = run.child.pid as number;
    try {
      // Freeze the run while it holds the lock and the open database: the worst moment for a neighbour.
      await run.waitFor(/run start/);
      process.kill(pid, 'SIGSTOP');
      const t = await runCli(TRANSFORM, { cwd });
      expect(t.code).toBe(1);
      expect(t.stderr).toMatch(
        new RegExp(`^error: another marketing-etl run holds the lock .*warehouse\\.duckdb\\.lock: pid ${pid} on `, 'm'),
      );
      expect(t.stderr).toMatch(/^hint: Wait for it to finish/m);
      // A reader that takes no lock file of ours meets DuckDB's own lock, and is told who holds it.
      const runs = await runCli(['runs'], { cwd });
      expect(runs.code).toBe(1);
      expect(runs.stderr).toMatch(
        new RegExp(
          `^error: state database .*warehouse\\.duckdb is in use by another process \\(pid ${pid}, ${path.basename(process.execPath)}\\)`,
          'm',
        ),
      );
      // generate writes new raw files through temporary names: the frozen run never sees half a file.
      await ok(gen('b2', 2, '2026-02-01', '2026-02-28'), cwd);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await run.done).code).toBe(0);
    await ok(TRANSFORM, cwd);

    const reference = tempDir('e2e-beside-ref');
    await ok(gen('b1', 1, '2026-01-01', '2026-01-31'), reference);
    await ok(gen('b2', 2, '2026-02-01', '2026-02-28'), reference);
    await ok(TRANSFORM, reference);
    const [got, want] = [await readState(path.join(cwd, STATE)), await readState(path.join(reference, STATE))];
    expect(got).toEqual(want);
    expect(got.manifest).toHaveLength(8);
  });
});
