// `marketing-etl generate`.
import type { Argv, CommandModule } from 'yargs';
import { generateStep } from '../../pipeline/steps.js';
import { type Args, generateOptions, setup, toGenerateOptions } from './shared.js';

export const generateCommand: CommandModule<object, Args> = {
  command: 'generate',
  describe: 'Generate synthetic ad-campaign CSV batches into <lake>/raw/ads/',
  builder: (y) => generateOptions(y) as Argv<Args>,
  handler: async (argv) => {
    const { config, log } = setup(argv);
    await generateStep(config, toGenerateOptions(argv), log);
  },
};
