// Reads a state database the way a person would after a crash: the master's content digest and the manifest.
import fs from 'node:fs';
import path from 'node:path';
import { withEngine } from '../../src/engine/duckdb.js';

export interface StateSnapshot {
  /** md5 over the master's rows in sorted text form (run_id left out): equal digests, equal content. */
  master: string | null;
  masterRows: number;
  manifest: string[];
}

/** Opens the state (replaying its WAL, as the next run would) and reads the master digest and the manifest. */
export async function readState(statePath: string): Promise<StateSnapshot> {
  if (!fs.existsSync(statePath)) return { master: null, masterRows: 0, manifest: [] };
  return withEngine({ path: statePath, tempDirectory: path.join(path.dirname(statePath), 'check.tmp') }, async (engine) => {
    const tables = await engine.all<{ name: string }>("select table_name as name from duckdb_tables() where schema_name = 'main'");
    const has = (name: string): boolean => tables.some((t) => t.name === name);
    let master: string | null = null;
    let masterRows = 0;
    if (has('campaign_daily')) {
      const rows = await engine.all<{ digest: string; n: number }>(
        `select md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) as digest, count(*) as n
         from (select * exclude (run_id) from campaign_daily) as t`,
      );
      master = rows[0]?.digest ?? null;
      masterRows = rows[0]?.n ?? 0;
    }
    const manifest = has('etl_manifest')
      ? (await engine.all<{ key: string }>('select key from etl_manifest order by 1')).map((r) => r.key)
      : [];
    return { master, masterRows, manifest };
  });
}

/** Every file under `dir` whose name carries the temporary marker. */
export function tempFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => path.basename(f).includes('.mketl-tmp-'));
}
