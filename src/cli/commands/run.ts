// `marketing-etl run`: the task graph once, then the KPI tables.
import type { Argv, CommandModule } from 'yargs';
import { runError, runPipeline } from '../../pipeline/run.js';
import { renderKpiTables, useColor } from '../render.js';
import { commandLine, RUN_EPILOGUE, runOptions, toPipelineOptions } from './run-options.js';
import { type Args, generateOptions, setup, transformOptions } from './shared.js';

export const runCommand: CommandModule<object, Args> = {
  command: 'run',
  describe: 'The task graph: generate -> ingest -> transform -> checks -> publish -> report',
  builder: (y) => runOptions(transformOptions(generateOptions(y))).epilogue(RUN_EPILOGUE) as Argv<Args>,
  handler: async (argv) => {
    const { config, log } = setup(argv);
    const result = await runPipeline(config, toPipelineOptions(argv, 'manual', commandLine()), log);
    if (!result.ok) throw runError(result);
    process.stdout.write(renderKpiTables(result.kpis, { color: useColor() }));
  },
};
