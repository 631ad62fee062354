#!/usr/bin/env node
// Entry point: runs yargs; the only place that maps errors to messages and exit codes, and the only process.exit.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ConfigError, EtlError, ExitCode, messageOf } from '../errors.js';
import { redact } from '../redact.js';
import { commands, globalOptions } from './commands/index.js';

const EPILOGUE = `Exit codes: 0 success, 1 a task failed, 2 bad usage or configuration, 3 a data-quality check failed.
Every option can also be set as MKETL_<NAME> (e.g. MKETL_LAKE, MKETL_OUTPUT_DIR); flags win.`;

function report(error: unknown, debug: boolean): number {
  const err = error instanceof EtlError ? error : undefined;
  process.stderr.write(`error: ${redact(messageOf(error))}\n`);
  if (err?.hint) process.stderr.write(`hint: ${redact(err.hint)}\n`);
  if (debug && error instanceof Error) {
    let cause: unknown = error;
    while (cause instanceof Error) {
      process.stderr.write(`${redact(cause.stack ?? cause.message)}\n`);
      cause = cause.cause;
    }
  }
  return err?.exitCode ?? ExitCode.taskFailed;
}

async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('debug') && argv.some((a) => a.startsWith('--log-level'));
  const parser = globalOptions(yargs(argv).scriptName('marketing-etl'))
    .env('MKETL')
    .command(commands)
    .demandCommand(1, 'Name a command; see --help.')
    .strict()
    .recommendCommands()
    .epilogue(EPILOGUE)
    .wrap(Math.min(100, process.stdout.columns || 80))
    .fail((message, error) => {
      throw error ?? new ConfigError(message, { hint: 'Run marketing-etl --help for usage.' });
    })
    .help()
    .alias('h', 'help')
    .version();
  try {
    await parser.parseAsync();
    return ExitCode.ok;
  } catch (error) {
    return report(error, debug || process.env.MKETL_LOG_LEVEL === 'debug');
  }
}

process.exitCode = await main(hideBin(process.argv));
