// Typed errors that carry an exit code and a user-facing hint; only cli/main.ts turns them into output.

/** Exit codes shared by every command (see README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  checkFailed: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: a message for one line, an optional hint saying how to fix it, and an exit code. */
export class EtlError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.taskFailed;
    this.hint = options.hint;
  }
}

/** Bad flags, environment or configuration file: exit code 2. */
export class ConfigError extends EtlError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: ExitCode.usage });
  }
}

/**
 * Raw input the run cannot accept as it is (a header that matches no layout, too many malformed lines): exit code 1,
 * and never retried, since the same files give the same answer until someone fixes them.
 */
export class BadInputError extends EtlError {}

/** A SQL file failed: names the file and line and keeps the statement for display. */
export class SqlError extends EtlError {
  readonly file: string;
  readonly line: number;
  readonly statement: string;

  constructor(file: string, line: number, detail: string, statement: string, cause?: unknown) {
    super(`${file}:${line}: ${detail}`, { cause, hint: 'Fix the SQL file, then run `marketing-etl sql check`.' });
    this.file = file;
    this.line = line;
    this.statement = statement;
  }
}

/** A data-quality check of severity `error` found rows: exit code 3. */
export class CheckFailedError extends EtlError {
  constructor(message: string, options: { hint?: string } = {}) {
    super(message, { ...options, exitCode: ExitCode.checkFailed });
  }
}

/** The state database file is damaged: names the file and how to rebuild it from the lake. Exit code 1. */
export class StateCorruptError extends EtlError {
  readonly file: string;

  constructor(file: string, detail: string, cause?: unknown) {
    super(`state database ${file} is damaged (${detail})`, {
      cause,
      hint:
        `The lake still holds every raw file, so the state can be rebuilt: move the damaged file away ` +
        `(mv ${file} ${file}.damaged, and ${file}.wal if present), then run \`marketing-etl transform --full-refresh\`.`,
    });
    this.file = file;
  }
}

/** The message of any thrown value, for logs and wrapping. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
