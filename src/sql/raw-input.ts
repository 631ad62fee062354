// Exposes raw CSV files to the models as streaming text views, one per header layout, keeping broken lines aside.
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

/** The longest raw line accepted, in bytes; a longer line is rejected (malformed_csv, LINE SIZE OVER MAXIMUM). */
export const MAX_LINE_BYTES = 1024 * 1024;

// Quote and escape as the generator writes CSV (RFC 4180); no sniffing: the header already told the layout.
// strict_mode rejects a quoted value with text after its closing quote or a quote never closed (UNQUOTED VALUE).
const CSV_OPTIONS = `header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', null_padding = false, strict_mode = true, max_line_size = ${MAX_LINE_BYTES}`;

/** DuckDB's rejects tables of one layout's scan: filled when a model reads `raw_input_<layout>`. */
export const rejectErrors = (layout: RawLayout): string => `raw_reject_errors_${layout.name}`;
const rejectScans = (layout: RawLayout): string => `raw_reject_scans_${layout.name}`;

function columnsStruct(layout: RawLayout): string {
  return `{${layout.columns.map((c) => `${sqlString(c)}: 'varchar'`).join(', ')}}`;
}

/** The read_csv call of one layout's files, keeping broken lines in rejects tables (by default the layout's). */
function readCsv(
  layout: RawLayout,
  files: readonly RawFile[],
  rejects = { table: rejectErrors(layout), scan: rejectScans(layout) },
): string {
  const list = `[${files.map((f) => sqlString(f.path)).join(', ')}]`;
  return `read_csv(${list}, ${CSV_OPTIONS}, columns = ${columnsStruct(layout)},
                   store_rejects = true, rejects_table = '${rejects.table}', rejects_scan = '${rejects.scan}')`;
}

/**
 * The type of `raw_file`: an ENUM of this run's file keys in sorted order, so that a row carries two bytes instead
 * of its key, and `order by raw_file` still sorts by key. Without files it is plain text.
 */
function rawFileType(groups: readonly RawGroup[]): string {
  const keys = [...new Set(groups.flatMap((g) => g.files.map((f) => f.key)))].sort();
  return keys.length > 0 ? `enum(${keys.map(sqlString).join(', ')})` : 'varchar';
}

/**
 * Creates `raw_files_<layout>(file_index, raw_file)` and the streaming view `raw_input_<layout>`: DuckDB reads
 * the files when a model scans the view, so the raw text is never stored; the first model that materialises the
 * rows keeps their order (preserve_insertion_order), which is what gives them line numbers (`collectRawResults`).
 */
async function defineGroup(engine: Engine, layout: RawLayout, files: readonly RawFile[], fileType: string): Promise<void> {
  const n = layout.name;
  await engine.run(`create or replace temp table raw_files_${n} (file_index bigint, raw_file ${fileType})`);
  const textColumns = layout.columns.map((c) => `"${c}"`).join(', ');
  if (files.length === 0) {
    const cols = layout.columns.map((c) => `cast(null as varchar) as "${c}"`).join(', ');
    await engine.run(`create or replace temp view raw_input_${n} as select cast(null as ${fileType}) as raw_file, ${cols} where false`);
    return;
  }
  await engine.run(
    `insert into raw_files_${n} select unnest(range(${files.length})), unnest([${files.map((f) => sqlString(f.key)).join(', ')}])`,
  );
  await engine.run(
    `create or replace temp view raw_input_${n} as
     select f.raw_file, ${textColumns}
     from (select file_index::bigint as file_index, ${textColumns} from ${readCsv(layout, files)}) as s
     join raw_files_${n} as f using (file_index)`,
  );
}

/** DuckDB's words for a raw file it cannot parse at all (the whole statement fails, not one line). */
const CSV_FAILURE = /CSV|read_csv|sniff|Invalid unicode|UTF-?8/i;

/**
 * After a model failed: when the error is DuckDB failing to read raw CSV as a whole, reads the files one by one
 * (outside any transaction: the caller has rolled back) and returns an error naming the first unreadable one.
 * Returns undefined for any other error.
 */
export async function pinpointUnreadable(engine: Engine, groups: readonly RawGroup[], error: unknown): Promise<EtlError | undefined> {
  if (!CSV_FAILURE.test(messageOf(error))) return undefined;
  const hint = 'Move the damaged file out of raw/ads/ (or replace it), then run again; nothing was loaded.';
  for (const group of groups) {
    for (const file of group.files) {
      try {
        await engine.all(`select count(*) from ${readCsv(group.layout, [file], { table: 'raw_probe_errors', scan: 'raw_probe_scans' })}`);
      } catch (probeError) {
        return new EtlError(`cannot read raw file ${file.key}: ${messageOf(probeError).split('\n')[0]}`, { cause: probeError, hint });
      } finally {
        await engine.run('drop table if exists raw_probe_errors; drop table if exists raw_probe_scans').catch(() => undefined);
      }
    }
  }
  return undefined;
}

/**
 * Creates the inputs the models read, temporary objects made before the transform's transaction: per layout the
 * streaming view `raw_input_<layout>(raw_file, <layout columns as text>)`. With no files they are empty typed
 * stand-ins, which is what `sql check` binds against. Line numbers, counts and rejected lines come after the models
 * (`collectRawResults` in raw-lines.ts).
 */
export async function defineRawInputs(engine: Engine, groups: readonly RawGroup[]): Promise<void> {
  const fileType = rawFileType(groups);
  for (const layout of RAW_LAYOUTS) {
    const files = groups.filter((g) => g.layout.name === layout.name).flatMap((g) => g.files);
    await defineGroup(engine, layout, files, fileType);
  }
}
