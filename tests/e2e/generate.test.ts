// `marketing-etl generate` as users run it: byte-identical output for any thread count, fresh run folders, usage errors.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const ARGS = ['generate', '--rows', '30000', '--batch-rows', '4000', '--from', '2026-01-01', '--to', '2026-01-31', '--dirty-rate', '0.1'];

/** Every file of every run below `<cwd>/data/lake/raw/ads`, by relative path. */
function files(cwd: string): Map<string, Buffer> {
  const root = path.join(cwd, 'data/lake/raw/ads');
  const out = new Map<string, Buffer>();
  for (const run of fs.readdirSync(root).sort()) {
    for (const name of fs.readdirSync(path.join(root, run)).sort()) out.set(`${run}/${name}`, fs.readFileSync(path.join(root, run, name)));
  }
  return out;
}

describe('marketing-etl generate', () => {
  it('writes the same bytes with worker threads as without, and other bytes for another seed', async () => {
    const [here, threaded, other] = [tempDir('gen-e2e'), tempDir('gen-e2e'), tempDir('gen-e2e')];
    const results = await Promise.all([
      runCli([...ARGS, '--seed', '5', '--run-id', 'fixed', '--threads', '0'], { cwd: here }),
      runCli([...ARGS, '--seed', '5', '--run-id', 'fixed', '--threads', '2'], { cwd: threaded }),
      runCli([...ARGS, '--seed', '6', '--run-id', 'fixed', '--threads', '2'], { cwd: other }),
    ]);
    for (const r of results) {
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
    }
    const a = files(here);
    const b = files(threaded);
    const c = files(other);
    expect([...a.keys()]).toHaveLength(9);
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...a.keys()][0]).toBe('run=fixed/_manifest.json');
    for (const [name, body] of a) expect(body.equals(b.get(name) as Buffer), name).toBe(true);
    expect((a.get('run=fixed/part-00001.csv') as Buffer).equals(c.get('run=fixed/part-00001.csv') as Buffer)).toBe(false);
    const manifest = JSON.parse((a.get('run=fixed/_manifest.json') as Buffer).toString('utf8'));
    expect(manifest).toMatchObject({ run_id: 'fixed', seed: 5, rows_written: 30_000, files: 8 });
    expect(results[0]?.stderr).toMatch(/generate done.*rows=30,000.*files=8/);
  });

  it('puts each run in its own folder, so file names never collide', async () => {
    const cwd = tempDir('gen-e2e-runs');
    const small = ['generate', '--rows', '500', '--batch-rows', '200', '--from', '2026-01-01', '--to', '2026-01-05'];
    const first = await runCli(small, { cwd });
    const second = await runCli(small, { cwd });
    expect([first.code, second.code]).toEqual([0, 0]);
    const all = [...files(cwd).keys()];
    expect(all).toHaveLength(8);
    const runs = new Set(all.map((k) => k.split('/')[0]));
    expect(runs.size).toBe(2);
    for (const run of runs) expect(run).toMatch(/^run=\d{8}T\d{6}Z-[0-9a-f]{6}$/);
  });

  it('exits 2 with a clear message on bad options, naming each one', async () => {
    const cwd = tempDir('gen-e2e-bad');
    const bad = await runCli(['generate', '--rows', 'lots', '--dirty-rate', '0.9', '--from', '2026-02-30', '--threads', '-1'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: /);
    expect(bad.stderr).toMatch(/--rows must be a whole number/);
    expect(bad.stderr).toMatch(/--dirty-rate must be a fraction from 0 to 0\.5 \(got 0\.9\)/);
    expect(bad.stderr).toMatch(/--from must be a date as YYYY-MM-DD \(got "2026-02-30"\)/);
    expect(bad.stderr).toMatch(/--threads must be a whole number/);
    expect(bad.stderr).toMatch(/hint: /);
    expect(fs.existsSync(path.join(cwd, 'data/lake/raw'))).toBe(false);
  });

  it('exits 2 when the run id already exists, and leaves the first run untouched', async () => {
    const cwd = tempDir('gen-e2e-again');
    const args = ['generate', '--rows', '100', '--from', '2026-01-01', '--to', '2026-01-02', '--run-id', 'once'];
    expect((await runCli(args, { cwd })).code).toBe(0);
    const before = files(cwd);
    const again = await runCli([...args, '--seed', '9'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/run id once already exists/);
    const after = files(cwd);
    for (const [name, body] of before) expect(body.equals(after.get(name) as Buffer)).toBe(true);
  });
});
