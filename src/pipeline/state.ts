// The state database's own tables: the manifest of processed raw files and the SQL file hashes per run.
import type { Engine } from '../engine/duckdb.js';

/** Creates the bookkeeping tables when missing. */
export async function ensureStateTables(engine: Engine): Promise<void> {
  await engine.run(`
    create table if not exists etl_manifest (
      key varchar primary key,
      size bigint not null,
      etag varchar not null,
      run_id varchar not null,
      loaded_at timestamptz not null
    );
    create table if not exists etl_sql_files (
      run_id varchar not null,
      path varchar not null,
      sha256 varchar not null,
      recorded_at timestamptz not null
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
