// `run` with encoder threads (started while the run opens its lake and state) gives the same files and KPIs as without.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, SQL_DIR } from '../helpers/cli.js';
import { readCsvTree } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

const ARGS = ['run', '--rows', '6000', '--batch-rows', '1000', '--from', '2026-01-01', '--to', '2026-01-31', '--seed', '3'];

describe('marketing-etl run --threads', () => {
  it('writes the same raw files and prints the same KPI tables with 3 threads as with none', async () => {
    const [plain, threaded] = [tempDir('run-threads-0'), tempDir('run-threads-3')];
    const results = await Promise.all([
      runCli([...ARGS, '--run-id', 'same', '--threads', '0', '--dirty-rate', '0.05', '--sql-dir', SQL_DIR], { cwd: plain }),
      runCli([...ARGS, '--run-id', 'same', '--threads', '3', '--dirty-rate', '0.05', '--sql-dir', SQL_DIR], { cwd: threaded }),
    ]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const raw = (cwd: string) => path.join(cwd, 'data/lake/raw/ads/run=same');
    const names = fs.readdirSync(raw(plain)).sort();
    expect(names.filter((n) => n.endsWith('.csv'))).toHaveLength(6);
    expect(fs.readdirSync(raw(threaded)).sort()).toEqual(names);
    for (const name of names)
      expect(fs.readFileSync(path.join(raw(threaded), name)).equals(fs.readFileSync(path.join(raw(plain), name)))).toBe(true);
    expect(readCsvTree(raw(threaded))).toHaveLength(readCsvTree(raw(plain)).length);
    expect(results[1]?.stdout).toBe(results[0]?.stdout);
  });
});
