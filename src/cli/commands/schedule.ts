// `marketing-etl schedule`: `run` at every tick of a cron expression, until SIGINT/SIGTERM.
import type { Argv, CommandModule } from 'yargs';
import { ConfigError, messageOf } from '../../errors.js';
import { defaultDateRange } from '../../generate/generate.js';
import { LockedError } from '../../pipeline/lock.js';
import { runError, runPipeline } from '../../pipeline/run.js';
import { DEFAULT_CRON, machineTimeZone, runSchedule } from '../../schedule.js';
import { commandLine, RUN_EPILOGUE, runOptions, toPipelineOptions } from './run-options.js';
import { type Args, generateOptions, setup, transformOptions } from './shared.js';

export const scheduleCommand: CommandModule<object, Args> = {
  command: 'schedule',
  describe: 'Run the task graph on a cron schedule, never two runs at once; stops on SIGINT/SIGTERM',
  builder: (y) =>
    runOptions(transformOptions(generateOptions(y)))
      .option('cron', {
        type: 'string',
        describe: 'When to run: 5 fields (min hour day month weekday), or 6 with seconds first',
        default: DEFAULT_CRON,
        group: 'Schedule:',
      })
      .option('tz', {
        type: 'string',
        describe: 'Time zone of the cron expression (IANA name)',
        defaultDescription: `this machine's zone (${machineTimeZone()})`,
        group: 'Schedule:',
      })
      .epilogue(`${RUN_EPILOGUE}\nOn SIGINT/SIGTERM no new run starts; the current run finishes and the process exits 0.`) as Argv<Args>,
  handler: async (argv) => {
    const { config, log } = setup(argv);
    if (argv.runId !== undefined) {
      throw new ConfigError('--run-id names a single run; schedule gives every run a new id', { hint: 'Drop --run-id.' });
    }
    const startDefaults = defaultDateRange();
    // Checked once up front, so that a bad option fails at start (exit 2) rather than at 02:00.
    toPipelineOptions(argv, 'schedule', commandLine(), startDefaults);
    await runSchedule({
      cron: argv.cron as string,
      tz: (argv.tz as string | undefined) || machineTimeZone(),
      log,
      runOnce: async (signal) => {
        const options = { ...toPipelineOptions(argv, 'schedule', commandLine(), startDefaults), signal };
        try {
          const result = await runPipeline(config, options, log);
          if (!result.ok) log.error(messageOf(runError(result)), { run_id: result.runId, exit_code: result.exitCode });
        } catch (error) {
          if (error instanceof LockedError) log.warn(`${error.message}; skipping this tick`);
          else throw error;
        }
      },
    });
  },
};
