// The state database's own tables: the manifest of processed raw files, the quarantine, the SQL hashes per run, and
// the master's dates published as they are now.
import { type Engine, listParam } from '../engine/duckdb.js';
import type { SqlFile } from '../sql/files.js';
import { RAW_LAYOUTS } from '../sql/layouts.js';

/** The raw text columns a quarantined row keeps: every column of every layout, once. */
export const QUARANTINE_TEXT_COLUMNS: readonly string[] = [...new Set(RAW_LAYOUTS.flatMap((l) => l.columns))].filter(
  (c) => c !== 'costo_total',
);

/** Creates the bookkeeping tables when missing (and adds columns that older state files lack). */
export async function ensureStateTables(engine: Engine): Promise<void> {
  await engine.run(`
    create table if not exists etl_manifest (
      key varchar primary key,
      size bigint not null,
      etag varchar not null,
      run_id varchar not null,
      loaded_at timestamptz not null
    );
    alter table etl_manifest add column if not exists rows bigint;
    create table if not exists etl_sql_files (
      run_id varchar not null,
      path varchar not null,
      sha256 varchar not null,
      recorded_at timestamptz not null
    );
    create table if not exists etl_published_dates (
      date date not null
    );
    create table if not exists quarantine (
      raw_file varchar not null,
      line_number bigint not null,
      reason varchar not null,
      run_id varchar not null,
      detail varchar,
      ${QUARANTINE_TEXT_COLUMNS.map((c) => `"${c}" varchar`).join(',\n      ')},
      raw_line varchar
    );
  `);
}

export interface ManifestEntry {
  key: string;
  size: number;
  etag: string;
}

/** The raw files already loaded, by key. */
export async function readManifest(engine: Engine): Promise<Map<string, ManifestEntry>> {
  const rows = await engine.all<{ key: string; size: number; etag: string }>('select key, size, etag from etl_manifest');
  return new Map(rows.map((r) => [r.key, r]));
}

/** Records the path and sha256 of every SQL file a run used, keyed by its run id. */
export async function recordSqlFiles(engine: Engine, runId: string, files: readonly SqlFile[]): Promise<void> {
  if (files.length === 0) return;
  await engine.run('insert into etl_sql_files select $run_id, unnest($paths::varchar[]), unnest($hashes::varchar[]), now()', {
    run_id: runId,
    paths: listParam(files.map((f) => f.relPath)),
    hashes: listParam(files.map((f) => f.sha256)),
  });
}

/** The SQL files recorded by the latest run that recorded any: run id and hash per path. */
export async function lastRecordedSqlFiles(engine: Engine): Promise<{ runId: string; hashes: Map<string, string> } | undefined> {
  const rows = await engine.all<{ run_id: string; path: string; sha256: string }>(
    `select run_id, path, sha256 from etl_sql_files
     where run_id = (select run_id from etl_sql_files order by recorded_at desc, run_id desc limit 1)`,
  );
  const first = rows[0];
  if (!first) return undefined;
  return { runId: first.run_id, hashes: new Map(rows.map((r) => [r.path, r.sha256])) };
}
