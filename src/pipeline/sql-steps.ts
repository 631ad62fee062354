// `sql list` and `sql check`: the SQL files in run order with their hashes, and a bind-only check of every file.
import fs from 'node:fs';
import type { Config } from '../config.js';
import { type Engine, hasTable, withEngine } from '../engine/duckdb.js';
import { messageOf } from '../errors.js';
import { severityOf } from '../sql/checks.js';
import { loadSqlFiles, type SqlFile } from '../sql/files.js';
import { defineRawInputs } from '../sql/raw-input.js';
import { runSqlFile, runWrappedQuery } from '../sql/runner.js';
import type { TemplateVars } from '../sql/template.js';
import { ensureStateTables, lastRecordedSqlFiles } from './state.js';

export type SqlFileStatus = 'new' | 'changed' | 'unchanged' | 'removed' | 'never run';

export interface SqlListEntry {
  /** Position in run order, 1-based; 0 for a file that is no longer there. */
  order: number;
  path: string;
  sha256: string;
  status: SqlFileStatus;
}

export interface SqlListResult {
  /** The run that last recorded its SQL files, if any. */
  lastRunId: string | undefined;
  files: SqlListEntry[];
}

// Opens the state only when it exists, so that a look never creates a database.
async function withExistingState<T>(config: Config, fn: (engine: Engine | undefined) => Promise<T>): Promise<T> {
  if (!fs.existsSync(config.state)) return fn(undefined);
  return withEngine({ path: config.state }, fn);
}

/** The SQL files in run order, each with its sha256 and whether it changed since the last recorded run. */
export async function sqlListStep(config: Config): Promise<SqlListResult> {
  const files = loadSqlFiles(config.sqlDir);
  const last = await withExistingState(config, async (engine) =>
    engine && (await hasTable(engine, 'etl_sql_files')) ? lastRecordedSqlFiles(engine) : undefined,
  );
  const entries: SqlListEntry[] = files.map((f, i) => {
    const before = last?.hashes.get(f.relPath);
    const status: SqlFileStatus = !last ? 'never run' : before === undefined ? 'new' : before === f.sha256 ? 'unchanged' : 'changed';
    return { order: i + 1, path: f.relPath, sha256: f.sha256, status };
  });
  const present = new Set(files.map((f) => f.relPath));
  for (const [path, sha256] of last?.hashes ?? []) {
    if (!present.has(path)) entries.push({ order: 0, path, sha256, status: 'removed' });
  }
  return { lastRunId: last?.runId, files: entries };
}

export interface SqlCheckEntry {
  path: string;
  /** `file:line: message` when the file does not parse or bind. */
  error: string | undefined;
}

async function checkFile(engine: Engine, file: SqlFile, vars: TemplateVars): Promise<string | undefined> {
  try {
    if (file.stage === 'models') {
      await runSqlFile(engine, file, vars);
    } else {
      if (file.stage === 'checks') severityOf(file);
      // DESCRIBE binds the query against the schema without running it.
      await runWrappedQuery(engine, file, vars, (q) => `describe ${q}`);
    }
    return undefined;
  } catch (error) {
    const message = messageOf(error).split('\n')[0] ?? '';
    return message.startsWith(`${file.relPath}:`) ? message : `${file.relPath}:1: ${message}`;
  }
}

/**
 * Parses and binds every SQL file against the current state's schema, changing nothing: it all runs inside a
 * transaction that is rolled back, and models read empty typed stand-ins for the raw input.
 */
export async function sqlCheckStep(config: Config, runDate: string): Promise<SqlCheckEntry[]> {
  const files = loadSqlFiles(config.sqlDir);
  const vars: TemplateVars = { raw_files: [], run_id: 'sql-check', run_date: runDate };
  const state = fs.existsSync(config.state) ? config.state : ':memory:';
  return withEngine({ path: state }, async (engine) => {
    const results: SqlCheckEntry[] = [];
    const passedModels: SqlFile[] = [];
    // DuckDB aborts a transaction at its first error, so after a failure the check starts a fresh one and replays
    // the models that passed (cheap: their inputs are empty) before going on with the next file.
    const begin = async (): Promise<void> => {
      await engine.run('begin transaction');
      await ensureStateTables(engine);
      await defineRawInputs(engine, []);
      for (const model of passedModels) await runSqlFile(engine, model, vars);
    };
    await begin();
    try {
      for (const file of files) {
        const error = await checkFile(engine, file, vars);
        results.push({ path: file.relPath, error });
        if (error === undefined && file.stage === 'models') passedModels.push(file);
        if (error !== undefined) {
          await engine.run('rollback');
          await begin();
        }
      }
    } finally {
      await engine.run('rollback');
    }
    return results;
  });
}
