// Locks DuckDB down before the SQL files run: files only in the lake, state and output folders, then no more SETs.
import path from 'node:path';
import type { Config } from '../config.js';
import { type Engine, sqlString } from '../engine/duckdb.js';

/** The folders (and S3 prefix) the SQL files may read and write: lake, state folder (staging, spill), output. */
export function allowedDirectories(config: Config): string[] {
  const dirs = [path.dirname(config.state), config.outputDir];
  if (config.lake.kind === 'local') dirs.push(config.lake.root);
  else dirs.push(`s3://${config.lake.bucket}/${config.lake.prefix ? `${config.lake.prefix}/` : ''}`);
  return dirs.map((d) => (d.endsWith('/') ? d : `${d}/`));
}

/**
 * Turns off every file and network access outside `allowedDirectories` (extension loading too) and locks the
 * configuration, so a SQL file can neither read /etc/passwd nor `SET` its way back out. Call it after the
 * engine and the S3 secret are set up; calling it again is a no-op.
 */
export async function lockDown(engine: Engine, config: Config): Promise<void> {
  const locked = await engine.all<{ v: boolean }>("select current_setting('lock_configuration') as v");
  if (locked[0]?.v === true) return;
  const list = allowedDirectories(config).map(sqlString).join(', ');
  await engine.run(`set allowed_directories = [${list}]`);
  await engine.run('set enable_external_access = false');
  await engine.run('set lock_configuration = true');
}
