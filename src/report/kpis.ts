// Reads the published KPI Parquet files back: the report never recomputes a KPI, the SQL stays the source of truth.
import fs from 'node:fs';
import { type Engine, sqlString } from '../engine/duckdb.js';
import { ConfigError, EtlError } from '../errors.js';
import { martKey, outputPath } from '../pipeline/publish.js';
import { type SqlFile, stageFiles } from '../sql/files.js';
import { type ColumnKind, kindOf } from './format.js';

export interface KpiTable {
  /** The KPI's name, from its file name (`platform_performance`). */
  name: string;
  /** A heading: the first line of the file's header comment. */
  title: string;
  /** The SQL file it comes from, relative to the sql folder (`kpis/010_platform_performance.sql`). */
  file: string;
  columns: string[];
  /** DuckDB type of each column, e.g. `VARCHAR`, `DECIMAL(38,2)`, `DOUBLE`. */
  types: string[];
  /** How each column is shown (money, percent, ...), by its name; see format.ts. */
  kinds: ColumnKind[];
  rows: Record<string, unknown>[];
}

/** The first `--` comment line of a SQL file, used as the KPI's title. */
export function titleOf(file: SqlFile): string {
  const match = /^\s*--\s*(.+)$/m.exec(file.text);
  const first = match?.[1]?.split(/[.;:(]\s*|,\s/)[0]?.trim();
  return first || file.name.replaceAll('_', ' ');
}

/** Reads `<outputDir>/marts/<kpi>.parquet` for every KPI file, in file order. */
export async function readKpiTables(engine: Engine, outputDir: string, sqlFiles: readonly SqlFile[]): Promise<KpiTable[]> {
  const tables: KpiTable[] = [];
  for (const file of stageFiles(sqlFiles, 'kpis')) {
    const parquet = outputPath(outputDir, martKey(file.name));
    if (!fs.existsSync(parquet)) {
      throw new EtlError(`no published KPI ${file.name}: ${parquet} does not exist`, {
        hint: 'Run `marketing-etl transform` (or `run`) first.',
      });
    }
    const described = await engine.all<{ column_name: string; column_type: string }>(
      `describe select * from read_parquet(${sqlString(parquet)})`,
    );
    const rows = await engine.all(`select * from read_parquet(${sqlString(parquet)}, file_row_number = true) order by file_row_number`);
    const columns = described.map((d) => d.column_name);
    const picked = rows.map((r) => pick(r, columns));
    tables.push({
      name: file.name,
      title: titleOf(file),
      file: file.relPath,
      columns,
      types: described.map((d) => d.column_type),
      kinds: columns.map((c) => kindOf(c, picked.find((r) => r[c] != null)?.[c])),
      rows: picked,
    });
  }
  return tables;
}

/** Keeps the KPIs named in `names` (all when empty), in file order; an unknown name is a usage error. */
export function selectKpis(kpis: readonly KpiTable[], names: readonly string[] = []): KpiTable[] {
  const unknown = names.filter((n) => !kpis.some((k) => k.name === n));
  if (unknown.length > 0) {
    throw new ConfigError(`--kpi ${unknown.join(', ')}: no such KPI`, { hint: `Known KPIs: ${kpis.map((k) => k.name).join(', ')}.` });
  }
  return names.length === 0 ? [...kpis] : kpis.filter((k) => names.includes(k.name));
}

function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, row[c]]));
}
