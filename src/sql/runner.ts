// Runs SQL files statement by statement and turns DuckDB errors into `file:line: message` errors.
import type { Engine, Row } from '../engine/duckdb.js';
import { messageOf, SqlError, StateCorruptError } from '../errors.js';
import type { SqlFile } from './files.js';
import { splitStatements } from './split.js';
import { renderTemplate, type TemplateVars } from './template.js';

/** Maps a DuckDB error inside a statement starting at `startLine` to a file line and a short message. */
export function locateError(message: string, startLine: number): { line: number; detail: string } {
  const lineMatch = /\bLINE (\d+):/.exec(message);
  const line = lineMatch ? startLine + Number(lineMatch[1]) - 1 : startLine;
  const detail = (message.split('\n')[0] ?? message).trim();
  return { line, detail };
}

async function runStatement<T>(file: SqlFile, text: string, line: number, fn: (sql: string) => Promise<T>): Promise<T> {
  try {
    return await fn(text);
  } catch (error) {
    // A damaged state file is not the SQL file's fault: say which file to rebuild instead.
    if (error instanceof StateCorruptError) throw error;
    const { line: at, detail } = locateError(messageOf(error), line);
    throw new SqlError(file.relPath, at, detail, text, error);
  }
}

/** Optional hooks around each statement of a file. */
export interface StatementHooks {
  /** Awaited before a statement runs, with its rendered text (the transform begins its transaction here). */
  before?(text: string): Promise<void>;
  /** Hears the line and seconds of each statement (the transform logs them at debug level). */
  after?(line: number, seconds: number): void;
}

/** Runs every statement of a file in order, with the template variables substituted. */
export async function runSqlFile(engine: Engine, file: SqlFile, vars: TemplateVars, hooks: StatementHooks = {}): Promise<void> {
  const sql = renderTemplate(file.text, vars, file.relPath);
  for (const statement of splitStatements(sql)) {
    await hooks.before?.(statement.text);
    const started = performance.now();
    await runStatement(file, statement.text, statement.line, (s) => engine.run(s));
    hooks.after?.(statement.line, Math.round(performance.now() - started) / 1000);
  }
}

/** The single statement of a query file (a KPI or a check), rendered; more than one is an error. */
export function queryOf(file: SqlFile, vars: TemplateVars): { text: string; line: number } {
  const statements = splitStatements(renderTemplate(file.text, vars, file.relPath));
  if (statements.length !== 1) {
    throw new SqlError(file.relPath, statements[1]?.line ?? 1, `must hold exactly one select statement (found ${statements.length})`, '');
  }
  return statements[0] as { text: string; line: number };
}

/** Runs a query file and returns its rows. */
export async function querySqlFile<T extends Row = Row>(engine: Engine, file: SqlFile, vars: TemplateVars): Promise<T[]> {
  const { text, line } = queryOf(file, vars);
  return runStatement(file, text, line, (s) => engine.all<T>(s));
}

/** Runs `wrap(query)` for a query file, e.g. to COPY its result; errors still point into the file. */
export async function runWrappedQuery(engine: Engine, file: SqlFile, vars: TemplateVars, wrap: (query: string) => string): Promise<void> {
  const { text, line } = queryOf(file, vars);
  const query = text.replace(/;\s*$/, '');
  // The wrapper goes on the query's first line, so DuckDB's LINE numbers still match the file.
  await runStatement(file, wrap(query), line, (s) => engine.run(s));
}
