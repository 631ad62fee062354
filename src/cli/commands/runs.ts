// `marketing-etl runs` and `marketing-etl runs show <id>`: the run history from the state database.
import fs from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import type { Config } from '../../config.js';
import { type Engine, withEngine } from '../../engine/duckdb.js';
import { ConfigError, EtlError } from '../../errors.js';
import { getRun, listRuns } from '../../pipeline/history.js';
import { renderRun, renderRuns } from '../render-runs.js';
import { type Args, setup } from './shared.js';

const FORMATS = ['table', 'json'] as const;

function formatOption(y: Argv): Argv {
  return y.option('format', { type: 'string', choices: FORMATS, describe: 'table for people, json for scripts', default: 'table' });
}

/** Opens the state only when it exists: looking at the history never creates a database. */
async function withState<T>(config: Config, empty: T, fn: (engine: Engine) => Promise<T>): Promise<T> {
  if (!fs.existsSync(config.state)) return empty;
  return withEngine({ path: config.state }, fn);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const showCommand: CommandModule<object, Args> = {
  command: 'show <id>',
  describe: 'One run with its tasks (attempts, seconds, rows, errors) and SQL files',
  builder: (y) => formatOption(y).positional('id', { type: 'string', describe: 'The run id' }) as Argv<Args>,
  handler: async (argv) => {
    const { config } = setup(argv);
    const id = String(argv.id);
    const run = await withState(config, undefined, (engine) => getRun(engine, id));
    if (!run) throw new EtlError(`no run ${id} in ${config.state}`, { hint: 'List the runs with `marketing-etl runs`.' });
    process.stdout.write(argv.format === 'json' ? json(run) : renderRun(run));
  },
};

export const runsCommand: CommandModule<object, Args> = {
  command: 'runs',
  describe: 'The recent runs, newest first (`runs show <id>` for one)',
  builder: (y) =>
    formatOption(y).option('limit', { type: 'number', describe: 'How many runs to list', default: 20 }).command(showCommand) as Argv<Args>,
  handler: async (argv) => {
    const { config } = setup(argv);
    const limit = argv.limit as number;
    if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--limit must be a whole number >= 1');
    const runs = await withState(config, [], (engine) => listRuns(engine, limit));
    process.stdout.write(argv.format === 'json' ? json(runs) : renderRuns(runs));
  },
};
