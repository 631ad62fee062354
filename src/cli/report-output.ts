// Writes `report` in the chosen format: console tables, JSON or CSV to stdout, or any format to files.
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { toCsv } from '../report/csv.js';
import { toHtml } from '../report/html.js';
import { toJson } from '../report/json.js';
import type { KpiTable } from '../report/kpis.js';
import { HTML_REPORT_NAME, writeFileAtomic } from '../report/write.js';
import { DEFAULT_WIDTH, renderKpiTables, terminalWidth, useColor } from './render.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface EmitOptions {
  format: ReportFormat;
  /** A file (a folder for CSV with several KPIs); stdout when absent, except html, which defaults to <output-dir>/report.html. */
  output: string | undefined;
  outputDir: string;
  now?: Date;
  stdout?: NodeJS.WriteStream;
}

/** Writes the report in the chosen format; returns the files written (none when it went to stdout). */
export async function emitReport(kpis: readonly KpiTable[], options: EmitOptions): Promise<string[]> {
  const stdout = options.stdout ?? process.stdout;
  const now = options.now ?? new Date();
  const output = options.output ? path.resolve(options.output) : undefined;
  if (options.format === 'csv' && kpis.length > 1) {
    if (!output) {
      throw new ConfigError('--format csv holds one KPI per file', {
        hint: 'Pick one with --kpi NAME, or give --output FOLDER to write one <kpi>.csv per KPI.',
      });
    }
    const files = kpis.map((k) => path.join(output, `${k.name}.csv`));
    for (const [i, k] of kpis.entries()) await writeFileAtomic(files[i] as string, toCsv(k));
    return files;
  }
  let text: string;
  if (options.format === 'json') text = toJson(kpis, now);
  else if (options.format === 'csv') text = kpis[0] ? toCsv(kpis[0]) : '';
  else if (options.format === 'html') text = toHtml(kpis, now);
  else
    text = renderKpiTables(
      kpis,
      output ? { color: false, width: DEFAULT_WIDTH } : { color: useColor(stdout), width: terminalWidth(stdout) },
    );
  const file = output ?? (options.format === 'html' ? path.join(options.outputDir, HTML_REPORT_NAME) : undefined);
  if (!file) {
    stdout.write(text);
    return [];
  }
  await writeFileAtomic(file, text);
  return [file];
}
