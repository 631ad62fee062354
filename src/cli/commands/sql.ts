// `marketing-etl sql list` and `marketing-etl sql check`.
import type { Argv, CommandModule } from 'yargs';
import { EtlError } from '../../errors.js';
import { sqlCheckStep, sqlListStep } from '../../pipeline/sql-steps.js';
import { renderSqlCheck, renderSqlList } from '../render-sql.js';
import { type Args, setup } from './shared.js';

const listCommand: CommandModule<object, Args> = {
  command: 'list',
  describe: 'Show the SQL files in run order with their sha256 and whether they changed since the last run',
  handler: async (argv) => {
    const { config } = setup(argv);
    process.stdout.write(renderSqlList(await sqlListStep(config)));
  },
};

const checkCommand: CommandModule<object, Args> = {
  command: 'check',
  describe: 'Parse and bind every SQL file against the current schema, changing nothing',
  handler: async (argv) => {
    const { config } = setup(argv);
    const results = await sqlCheckStep(config, new Date().toISOString().slice(0, 10));
    process.stdout.write(renderSqlCheck(results));
    const failed = results.filter((r) => r.error !== undefined).length;
    if (failed > 0) {
      throw new EtlError(`${failed} SQL file(s) failed the check`, {
        hint: 'Fix each file at the line shown above, then run `sql check` again.',
      });
    }
  },
};

export const sqlCommand: CommandModule<object, Args> = {
  command: 'sql <command>',
  describe: 'The SQL files of --sql-dir: list them with hashes, or check that they parse and bind',
  builder: (y) => y.command(listCommand).command(checkCommand).demandCommand(1) as Argv<Args>,
  handler: () => undefined,
};
