// `marketing-etl run`.
import type { Argv, CommandModule } from 'yargs';
import { generateStep, transformStep } from '../../pipeline/steps.js';
import { type Args, generateOptions, printReport, setup, toGenerateOptions, transformArgs, transformOptions } from './shared.js';

export const runCommand: CommandModule<object, Args> = {
  command: 'run',
  describe: 'generate -> transform -> report, in order',
  builder: (y) => transformOptions(generateOptions(y)) as Argv<Args>,
  handler: async (argv) => {
    const { config, log } = setup(argv);
    const options = toGenerateOptions(argv);
    await generateStep(config, options, log);
    await transformStep(config, transformArgs(argv, options.runId), log);
    await printReport(config);
  },
};
