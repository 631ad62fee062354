// `--max-reject-rate` from the command line and the environment: the exit code and the one-line error name the file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SQL_DIR } from '../helpers/cli.js';
import { HEADER } from '../helpers/dirty.js';
import { tempDir } from '../helpers/tmp.js';

const GOOD = (i: number): string => `C-${i},n,2026-03-02,Google Ads,Mujer 18-25,500,5,0.01,1.00,5.00,1,30.00,7.5`;

/** A lake with one file of 20 data lines, 3 of them broken (15%). */
function lakeWithBrokenFile(): string {
  const cwd = tempDir('e2e-bad');
  const dir = path.join(cwd, 'data', 'lake', 'raw', 'ads', 'x');
  fs.mkdirSync(dir, { recursive: true });
  const lines = [HEADER, ...Array.from({ length: 17 }, (_, i) => GOOD(i)), 'a,b', 'c,d', 'e,f'];
  fs.writeFileSync(path.join(dir, 'part-1.csv'), `${lines.join('\n')}\n`);
  return cwd;
}

describe('transform --max-reject-rate', () => {
  it('fails with exit code 1 naming the file at the default 10%, and loads with 20% or MKETL_MAX_REJECT_RATE=0.2', async () => {
    const cwd = lakeWithBrokenFile();
    const failed = await runCli(['transform', '--sql-dir', SQL_DIR], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /error: raw file with too many malformed lines, above --max-reject-rate 10%: raw\/ads\/x\/part-1\.csv \(3 of 20 lines, 15%\)/,
    );
    const loaded = await runCli(['transform', '--sql-dir', SQL_DIR, '--max-reject-rate', '20%'], { cwd });
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toMatch(/raw lines rejected .*key=raw\/ads\/x\/part-1\.csv rejected=3 lines=20/);
    expect(loaded.stderr).toMatch(/transform done .*rejected_lines=3/);
    const other = lakeWithBrokenFile();
    const fromEnv = await runCli(['transform', '--sql-dir', SQL_DIR], { cwd: other, env: { MKETL_MAX_REJECT_RATE: '0.2' } });
    expect(fromEnv.code).toBe(0);
  });

  it('rejects a value that is not a rate with exit code 2', async () => {
    const r = await runCli(['transform', '--sql-dir', SQL_DIR, '--max-reject-rate', '150%'], { cwd: tempDir('e2e-bad-usage') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-reject-rate must be a fraction from 0 to 1 or a percentage such as 10% \(got "150%"\)/);
  });
});

describe('run with bad raw input', () => {
  it('fails the transform task at once (bad input is not retried), exit code 1, naming the file', async () => {
    const cwd = lakeWithBrokenFile();
    const r = await runCli(['run', '--skip-generate', '--sql-dir', SQL_DIR, '--retries', '2', '--retry-delay', '100ms'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/retrying/);
    expect(r.stderr).toMatch(
      /error: task transform failed after 1 attempt: raw file with too many malformed lines, above --max-reject-rate 10%: raw\/ads\/x\/part-1\.csv/,
    );
    const ok = await runCli(['run', '--skip-generate', '--sql-dir', SQL_DIR, '--max-reject-rate', '0.2'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/task transform done .*detail="1 files loaded; 3 malformed lines quarantined"/);
  });
});
