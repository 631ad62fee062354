// `marketing-etl report`.
import type { CommandModule } from 'yargs';
import { type Args, printReport, setup } from './shared.js';

export const reportCommand: CommandModule<object, Args> = {
  command: 'report',
  describe: 'Print the latest published KPIs as tables',
  handler: async (argv) => {
    const { config } = setup(argv);
    await printReport(config);
  },
};
