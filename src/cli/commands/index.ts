// Every command of the CLI, in the order --help lists them.
import type { CommandModule } from 'yargs';
import { doctorCommand } from './doctor.js';
import { generateCommand } from './generate.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { runsCommand } from './runs.js';
import { scheduleCommand } from './schedule.js';
import type { Args } from './shared.js';
import { sqlCommand } from './sql.js';
import { transformCommand } from './transform.js';

export const commands: CommandModule<object, Args>[] = [
  generateCommand,
  transformCommand,
  reportCommand,
  runCommand,
  scheduleCommand,
  runsCommand,
  sqlCommand,
  doctorCommand,
];

export { globalOptions } from './shared.js';
