// Writes report files atomically (temp name + rename) and the run's HTML report next to the Parquet outputs.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Engine } from '../engine/duckdb.js';
import { tempPathFor } from '../lake/temp.js';
import type { Logger } from '../log.js';
import type { SqlFile } from '../sql/files.js';
import { toHtml } from './html.js';
import { type KpiTable, readKpiTables } from './kpis.js';

/** File name of the HTML report inside --output-dir. */
export const HTML_REPORT_NAME = 'report.html';

/** Writes `text` to `file` so that a reader never sees half a file; creates the folder. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempPathFor(file);
  try {
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** Writes the HTML report to `<output-dir>/report.html`; returns its path. */
export async function writeHtmlReport(config: Config, kpis: readonly KpiTable[], now: Date = new Date()): Promise<string> {
  const file = path.join(config.outputDir, HTML_REPORT_NAME);
  await writeFileAtomic(file, toHtml(kpis, now));
  return file;
}

/** A path for log lines: relative when it is below the working folder, else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The run's hook: writes `<output-dir>/report.html` from the KPIs just read back, and logs its path. */
export async function publishHtmlReport(config: Config, kpis: readonly KpiTable[], log: Logger): Promise<string> {
  const file = await writeHtmlReport(config, kpis);
  log.info('report written', { path: displayPath(file) });
  return file;
}

/** The transform's hook after publishing: reads the KPIs just published, then as publishHtmlReport. */
export async function writeRunReport(config: Config, engine: Engine, sqlFiles: readonly SqlFile[], log: Logger): Promise<string> {
  return publishHtmlReport(config, await readKpiTables(engine, config.outputDir, sqlFiles), log);
}
