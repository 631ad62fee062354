// Runs the data-quality checks of sql/checks/: each returns offending rows; `error` severity fails the run.
import type { Engine } from '../engine/duckdb.js';
import { CheckFailedError, SqlError } from '../errors.js';
import type { Logger } from '../log.js';
import { type SqlFile, stageFiles } from './files.js';
import { runWrappedQuery } from './runner.js';
import type { TemplateVars } from './template.js';

export type Severity = 'warn' | 'error';

export interface CheckResult {
  file: string;
  severity: Severity;
  /** Number of offending rows. */
  failures: number;
}

/** Reads the `-- severity: warn|error` header comment; a missing header means `error`. */
export function severityOf(file: SqlFile): Severity {
  const match = /^\s*--\s*severity:\s*(\w+)/im.exec(file.text);
  if (!match) return 'error';
  const value = (match[1] as string).toLowerCase();
  if (value !== 'warn' && value !== 'error') {
    const line = file.text.slice(0, match.index).split('\n').length;
    throw new SqlError(file.relPath, line, `severity must be warn or error (got "${match[1]}")`, '');
  }
  return value;
}

/** Runs every check; throws CheckFailedError (exit 3) after all ran when an `error` check found rows. */
export async function runChecks(engine: Engine, files: readonly SqlFile[], vars: TemplateVars, log: Logger): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const file of stageFiles(files, 'checks')) {
    const severity = severityOf(file);
    const started = performance.now();
    await runWrappedQuery(engine, file, vars, (q) => `create or replace temp table check_result as ${q}`);
    const rows = await engine.all<{ n: number }>('select count(*) as n from check_result');
    const failures = rows[0]?.n ?? 0;
    log.debug('check done', { file: file.relPath, rows: failures, seconds: Math.round(performance.now() - started) / 1000 });
    results.push({ file: file.relPath, severity, failures });
    if (failures > 0) {
      const sample = await engine.all('select * from check_result limit 3');
      (severity === 'error' ? log.error : log.warn)(`check ${file.name} found ${failures} row(s)`, {
        file: file.relPath,
        sample: JSON.stringify(sample, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
      });
    }
  }
  const failed = results.filter((r) => r.severity === 'error' && r.failures > 0);
  if (failed.length > 0) {
    throw new CheckFailedError(`data-quality check failed: ${failed.map((r) => `${r.file} (${r.failures} rows)`).join(', ')}`, {
      hint: 'Nothing was published. Fix the data or the cleaning SQL, then run again (with --full-refresh after a cleaning change).',
    });
  }
  return results;
}
