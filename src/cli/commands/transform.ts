// `marketing-etl transform`.
import type { Argv, CommandModule } from 'yargs';
import { newRunId } from '../../generate/generate.js';
import { transformStep } from '../../pipeline/steps.js';
import { type Args, setup, transformArgs, transformOptions } from './shared.js';

export const transformCommand: CommandModule<object, Args> = {
  command: 'transform',
  describe: 'Load new raw files into the master, run checks, publish master and KPIs as Parquet',
  builder: (y) => transformOptions(y) as Argv<Args>,
  handler: async (argv) => {
    const { config, log } = setup(argv);
    await transformStep(config, transformArgs(argv, newRunId()), log);
  },
};
