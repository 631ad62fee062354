// After the models: where each row of a run came from (file and line), how many lines each raw file had, which
// lines the CSV parser rejected, and the quarantine (rows with a reason, and rejected lines).
import { type Engine, hasTable, listParam, sqlString } from '../engine/duckdb.js';
import { EtlError } from '../errors.js';
import { RAW_LAYOUTS } from './layouts.js';
import { type RawGroup, rejectErrors } from './raw-input.js';

/**
 * The table the models must leave with one row per raw data line, in the raw files' order, with `raw_file`,
 * `reason` (NULL for a clean row) and `raw` (the row as written, as JSON text, at least for rows with a reason).
 */
export const CLEAN_TABLE = 'clean_ads';

/** Per raw file: data lines read, and lines rejected for broken CSV structure. */
export interface RawFileCount {
  key: string;
  dataRows: number;
  rejectedRows: number;
}

/** `raw_rejects(raw_file, line_number, error_type, error_message, csv_line)` from DuckDB's rejects tables. */
async function collectRejects(engine: Engine, groups: readonly RawGroup[]): Promise<void> {
  const parts: string[] = [];
  for (const layout of RAW_LAYOUTS) {
    const files = groups.filter((g) => g.layout.name === layout.name).reduce((sum, g) => sum + g.files.length, 0);
    if (files === 0) continue;
    // DuckDB creates a scan's rejects tables when it reads: without them, no model read this layout's files, and
    // their rows would be marked loaded without reaching the master.
    if (!(await hasTable(engine, rejectErrors(layout), true))) {
      throw new EtlError(`the models never read raw_input_${layout.name}, so ${files} raw file(s) of ${layout.description} would be lost`, {
        hint: `sql/models/010_raw_ads.sql must read every raw_input_* view (one union all branch per layout); nothing was loaded`,
      });
    }
    // One line can break several rules: one row per line, its errors joined.
    parts.push(
      `select f.raw_file::varchar as raw_file, e.line as line_number, string_agg(distinct e.error_type, ', ') as error_type,
              string_agg(e.error_message, '; ') as error_message, first(e.csv_line) as csv_line
       from ${rejectErrors(layout)} as e join raw_files_${layout.name} as f on f.file_index = e.file_id
       group by all`,
    );
  }
  const empty =
    'select null::varchar as raw_file, null::bigint as line_number, null::varchar as error_type, null::varchar as error_message, null::varchar as csv_line where false';
  await engine.run(`create or replace temp table raw_rejects as ${parts.length > 0 ? parts.join(' union all ') : empty}`);
}

/**
 * Reads back what the models made of the raw files: rejected lines (`raw_rejects`), and per file the rowid range of
 * its rows in `clean_ads`, which (rows being stored in file order) turns a rowid into a line number. Fails when the
 * models dropped or reordered rows, since line numbers and counts would then be wrong.
 */
export async function collectRawResults(engine: Engine, groups: readonly RawGroup[]): Promise<RawFileCount[]> {
  await collectRejects(engine, groups);
  if (!(await hasTable(engine, CLEAN_TABLE, true))) {
    throw new EtlError(`the models did not create the table ${CLEAN_TABLE}`, {
      hint: `sql/models/ must create ${CLEAN_TABLE} with one row per raw line (raw_file, reason, raw); see sql/README.md`,
    });
  }
  await engine.run(
    `create or replace temp table raw_file_rows as
     select raw_file::varchar as raw_file, min(rowid) as first_rowid, max(rowid) as last_rowid, count(*) as data_rows
     from ${CLEAN_TABLE} group by all`,
  );
  const shuffled = await engine.all<{ raw_file: string }>(
    'select raw_file from raw_file_rows where last_rowid - first_rowid + 1 <> data_rows order by raw_file limit 1',
  );
  if (shuffled[0]) {
    throw new EtlError(`${CLEAN_TABLE} does not keep the rows of ${shuffled[0].raw_file} together and in file order`, {
      hint: `The model that creates ${CLEAN_TABLE} must read raw_ads without ORDER BY, GROUP BY or joins that reorder rows (line numbers come from that order)`,
    });
  }
  // Data line i of a file (1-based among the lines DuckDB accepted) sits on file line i + 1 (the header) plus the
  // rejected lines before it. Rejected line j (1-based, sorted) at line r_j precedes data line i when r_j - j <= i.
  await engine.run(
    `create or replace temp table raw_reject_gaps as
     select raw_file, g, max(k) as k from (
       select raw_file, line_number - row_number() over w as g, row_number() over w as k
       from raw_rejects window w as (partition by raw_file order by line_number)
     ) group by raw_file, g`,
  );
  const keys = groups.flatMap((g) => g.files.map((f) => f.key));
  const rows = await engine.all<{ raw_file: string; data_rows: number; rejected_rows: number }>(
    `with k as (select unnest($keys::varchar[]) as raw_file),
          r as (select raw_file, count(*) as n from raw_rejects group by raw_file)
     select k.raw_file, coalesce(f.data_rows, 0) as data_rows, coalesce(r.n, 0) as rejected_rows
     from k left join raw_file_rows as f using (raw_file) left join r using (raw_file)
     order by k.raw_file`,
    { keys: listParam(keys) },
  );
  return rows.map((r) => ({ key: r.raw_file, dataRows: Number(r.data_rows), rejectedRows: Number(r.rejected_rows) }));
}

/**
 * Puts this run's rows with a reason, and its rejected lines (`malformed_csv`), in the quarantine, each with its
 * file and line.
 */
export async function quarantineRows(engine: Engine, runId: string, textColumns: readonly string[]): Promise<void> {
  const anyRejects = (await engine.all<{ n: number }>('select count(*) as n from raw_rejects'))[0]?.n ?? 0;
  // Most runs have no rejected lines: then the line is plain arithmetic and the query skips the ASOF join.
  const gap = anyRejects > 0 ? 'coalesce(j.k, 0)' : '0';
  const asof =
    anyRejects > 0 ? 'asof left join raw_reject_gaps as j on j.raw_file = c.raw_file and j.g <= c.row_id - f.first_rowid + 1' : '';
  const texts = textColumns.map((c) => `c.raw ->> ${sqlString(c)} as "${c}"`).join(', ');
  await engine.run(
    `insert into quarantine by name
     select c.raw_file, c.row_id - f.first_rowid + 2 + ${gap} as line_number, c.reason, ${sqlString(runId)} as run_id, ${texts}
     from (select raw_file::varchar as raw_file, rowid as row_id, reason, raw from ${CLEAN_TABLE} where reason is not null) as c
     join raw_file_rows as f using (raw_file)
     ${asof}

     union all by name

     select raw_file, line_number, 'malformed_csv' as reason, ${sqlString(runId)} as run_id,
            error_type || ': ' || error_message as detail, csv_line as raw_line
     from raw_rejects`,
  );
}
