// Builds KpiTables the way the report reads them: a KPI SQL file, its result published as Parquet by DuckDB,
// read back with readKpiTables. Lets unit tests shape the data without hand-writing rows.
import fs from 'node:fs';
import path from 'node:path';
import { openEngine, sqlString } from '../../src/engine/duckdb.js';
import { type KpiTable, readKpiTables } from '../../src/report/kpis.js';
import { loadSqlFiles } from '../../src/sql/files.js';
import { tempDir } from './tmp.js';

/** One KPI per entry (`name` -> `select ...`), numbered in the given order. */
export async function kpiTables(queries: Record<string, string>): Promise<KpiTable[]> {
  const root = tempDir('kpi-table');
  const sqlDir = path.join(root, 'sql');
  fs.mkdirSync(path.join(sqlDir, 'models'), { recursive: true });
  fs.mkdirSync(path.join(sqlDir, 'kpis'), { recursive: true });
  fs.mkdirSync(path.join(root, 'out/marts'), { recursive: true });
  const engine = await openEngine({ path: ':memory:' });
  try {
    let n = 10;
    for (const [name, query] of Object.entries(queries)) {
      fs.writeFileSync(
        path.join(sqlDir, 'kpis', `${String(n).padStart(3, '0')}_${name}.sql`),
        `-- ${name.replaceAll('_', ' ')}\n${query}\n`,
      );
      await engine.run(`copy (${query}) to ${sqlString(path.join(root, 'out/marts', `${name}.parquet`))} (format parquet)`);
      n += 10;
    }
    return await readKpiTables(engine, path.join(root, 'out'), loadSqlFiles(sqlDir));
  } finally {
    engine.close();
  }
}
