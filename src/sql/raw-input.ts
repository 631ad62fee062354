// Loads raw CSV files into typed temporary tables, one per header layout, with file line numbers and rejects.
import { type Engine, sqlString } from '../engine/duckdb.js';
import { EtlError, messageOf } from '../errors.js';
import { RAW_LAYOUTS, type RawLayout } from './layouts.js';

/** One raw file of this run: its lake key and the path or URL DuckDB reads. */
export interface RawFile {
  readonly key: string;
  readonly path: string;
}

/** The files of one layout. */
export interface RawGroup {
  readonly layout: RawLayout;
  readonly files: readonly RawFile[];
}

/** Per raw file: data lines read, and lines rejected for broken CSV structure. */
export interface RawFileCount {
  key: string;
  dataRows: number;
  rejectedRows: number;
}

/** The longest raw line accepted, in bytes; a longer line is rejected (malformed_csv, LINE SIZE OVER MAXIMUM). */
export const MAX_LINE_BYTES = 1024 * 1024;

// Quote and escape as the generator writes CSV (RFC 4180); no sniffing: the header already told the layout.
// strict_mode rejects a quoted value with text after its closing quote or a quote never closed (UNQUOTED VALUE).
const CSV_OPTIONS = `header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', null_padding = false, strict_mode = true, max_line_size = ${MAX_LINE_BYTES}`;

function columnsStruct(layout: RawLayout): string {
  return `{${layout.columns.map((c) => `${sqlString(c)}: 'varchar'`).join(', ')}}`;
}

async function loadGroup(engine: Engine, layout: RawLayout, files: readonly RawFile[]): Promise<void> {
  const n = layout.name;
  const cols = layout.columns.map((c) => `"${c}" varchar`).join(', ');
  await engine.run(
    `create or replace temp table raw_reject_lines_${n} (file_index bigint, line_number bigint, error_type varchar, error_message varchar, csv_line varchar)`,
  );
  if (files.length > 0) {
    const list = `[${files.map((f) => sqlString(f.path)).join(', ')}]`;
    const errors = `raw_reject_errors_${n}`;
    try {
      // A fresh table keeps file order (preserve_insertion_order), so rowid counts data lines. (`create ... as`
      // and not `insert`: DuckDB 1.5 fails an insert that casts the virtual file_index column.)
      await engine.run(
        `create or replace temp table raw_scan_${n} as select file_index::bigint as file_index, ${layout.columns.map((c) => `"${c}"`).join(', ')}
         from read_csv(${list}, ${CSV_OPTIONS}, columns = ${columnsStruct(layout)},
                       store_rejects = true, rejects_table = '${errors}', rejects_scan = 'raw_reject_scans_${n}')`,
      );
    } catch (error) {
      throw new RawReadError(layout, files, error);
    }
    await engine.run(
      `insert into raw_reject_lines_${n}
       select file_id, line, string_agg(distinct error_type, ', '), string_agg(error_message, '; '), first(csv_line)
       from ${errors} group by file_id, line`,
    );
    await engine.run(`drop table if exists ${errors}; drop table if exists raw_reject_scans_${n}`);
  } else {
    await engine.run(`create or replace temp table raw_scan_${n} (file_index bigint, ${cols})`);
  }
  await engine.run(
    `create or replace temp table raw_files_${n} (file_index bigint, raw_file varchar, first_rowid bigint, data_rows bigint, rejected_rows bigint)`,
  );
  if (files.length > 0) {
    await engine.run(
      `insert into raw_files_${n}
       with f as (select unnest(range(${files.length})) as file_index, unnest([${files.map((f) => sqlString(f.key)).join(', ')}]) as raw_file),
            s as (select file_index, min(rowid) as first_rowid, count(*) as n from raw_scan_${n} group by file_index),
            r as (select file_index, count(*) as n from raw_reject_lines_${n} group by file_index)
       select f.file_index, f.raw_file, s.first_rowid, coalesce(s.n, 0), coalesce(r.n, 0)
       from f left join s using (file_index) left join r using (file_index)`,
    );
  }
  // Data line i of a file (1-based among the lines DuckDB accepted) sits on file line i + 1 (the header) plus the
  // rejected lines before it. Rejected line j (1-based, sorted) at line r_j precedes data line i when r_j - j <= i.
  await engine.run(
    `create or replace temp table raw_reject_gaps_${n} as
     select file_index, g, max(k) as k from (
       select file_index, line_number - row_number() over w as g, row_number() over w as k
       from raw_reject_lines_${n} window w as (partition by file_index order by line_number)
     ) group by file_index, g`,
  );
  // Most runs have no rejected lines: then the line is plain arithmetic and the view skips the ASOF join.
  const anyRejects = (await engine.all<{ n: number }>(`select count(*) as n from raw_reject_lines_${n}`))[0]?.n ?? 0;
  const gap = anyRejects > 0 ? 'coalesce(j.k, 0)' : '0';
  const asof =
    anyRejects > 0 ? `asof left join raw_reject_gaps_${n} as j on j.file_index = s.file_index and j.g <= s.rowid - f.first_rowid + 1` : '';
  await engine.run(
    `create or replace temp view raw_input_${n} as
     select f.raw_file, s.rowid - f.first_rowid + 2 + ${gap} as line_number, s.* exclude (file_index)
     from raw_scan_${n} as s
     join raw_files_${n} as f using (file_index)
     ${asof}`,
  );
}

/**
 * A group read failed as a whole (DuckDB then aborts the transaction). After the rollback, `pinpoint` reads the
 * files one by one to name the one that cannot be read.
 */
export class RawReadError extends Error {
  readonly layout: RawLayout;
  readonly files: readonly RawFile[];

  constructor(layout: RawLayout, files: readonly RawFile[], cause: unknown) {
    super(`cannot read the raw files of layout ${layout.name}: ${messageOf(cause).split('\n')[0]}`, { cause });
    this.layout = layout;
    this.files = files;
  }

  /** Runs outside any transaction; returns the error to throw, naming the first unreadable file. */
  async pinpoint(engine: Engine): Promise<EtlError> {
    const hint = 'Move the damaged file out of raw/ads/ (or replace it), then run again; nothing was loaded.';
    for (const file of this.files) {
      try {
        await engine.all(
          `select count(*) from read_csv(${sqlString(file.path)}, ${CSV_OPTIONS}, columns = ${columnsStruct(this.layout)},
             store_rejects = true, rejects_table = 'raw_probe_errors', rejects_scan = 'raw_probe_scans')`,
        );
      } catch (error) {
        return new EtlError(`cannot read raw file ${file.key}: ${messageOf(error).split('\n')[0]}`, { cause: error, hint });
      } finally {
        await engine.run('drop table if exists raw_probe_errors; drop table if exists raw_probe_scans').catch(() => undefined);
      }
    }
    return new EtlError(this.message, { cause: this.cause, hint });
  }
}

/**
 * Creates, inside the caller's transaction, the inputs the models read: per layout the view
 * `raw_input_<layout>(raw_file, line_number, <layout columns as text>)`, and `raw_rejects(raw_file, line_number,
 * error_type, error_message, csv_line)` for lines with broken CSV structure. With no files they are empty typed
 * stand-ins, which is what `sql check` binds against.
 */
export async function loadRawInputs(engine: Engine, groups: readonly RawGroup[]): Promise<RawFileCount[]> {
  for (const layout of RAW_LAYOUTS) {
    const files = groups.filter((g) => g.layout.name === layout.name).flatMap((g) => g.files);
    await loadGroup(engine, layout, files);
  }
  const union = RAW_LAYOUTS.map(
    (l) =>
      `select f.raw_file, r.line_number, r.error_type, r.error_message, r.csv_line
       from raw_reject_lines_${l.name} as r join raw_files_${l.name} as f using (file_index)`,
  ).join(' union all ');
  await engine.run(`create or replace temp table raw_rejects as ${union}`);
  const counts = RAW_LAYOUTS.map((l) => `select raw_file, data_rows, rejected_rows from raw_files_${l.name}`).join(' union all ');
  const rows = await engine.all<{ raw_file: string; data_rows: number; rejected_rows: number }>(`${counts} order by raw_file`);
  return rows.map((r) => ({ key: r.raw_file, dataRows: Number(r.data_rows), rejectedRows: Number(r.rejected_rows) }));
}
