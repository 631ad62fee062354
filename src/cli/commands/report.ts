// `marketing-etl report`: the latest published KPIs as console tables, JSON, CSV or a self-contained HTML file.
import type { Argv, CommandModule } from 'yargs';
import { reportStep } from '../../pipeline/steps.js';
import { selectKpis } from '../../report/kpis.js';
import { displayPath } from '../../report/write.js';
import { emitReport, REPORT_FORMATS, type ReportFormat } from '../report-output.js';
import { type Args, setup } from './shared.js';

export const reportCommand: CommandModule<object, Args> = {
  command: 'report',
  describe: 'Show the latest published KPIs: tables, JSON, CSV or an HTML file',
  builder: (y) =>
    y
      .option('format', {
        type: 'string',
        choices: REPORT_FORMATS,
        default: 'table',
        describe: 'table for people, json/csv for machines, html for a file with charts',
        group: 'Report:',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'Write to FILE instead of stdout (csv with several KPIs: a folder)',
        defaultDescription: 'stdout; html: <output-dir>/report.html',
        group: 'Report:',
      })
      .option('kpi', {
        type: 'string',
        array: true,
        describe: 'Only these KPIs (names of sql/kpis files, e.g. platform_performance)',
        group: 'Report:',
      }) as Argv<Args>,
  handler: async (argv) => {
    const { config, log } = setup(argv);
    const kpis = selectKpis(await reportStep(config), (argv.kpi as string[] | undefined) ?? []);
    const files = await emitReport(kpis, {
      format: argv.format as ReportFormat,
      output: argv.output as string | undefined,
      outputDir: config.outputDir,
    });
    for (const file of files) log.info('report written', { path: displayPath(file) });
  },
};
