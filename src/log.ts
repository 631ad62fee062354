// A small logger passed to every module: pretty lines or JSON lines on stderr, and TTY-only progress bars.
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import { redact } from './redact.js';

// Loaded on the first progress bar only (a TTY), so runs logging to a file or a pipe never pay for it.
const require = createRequire(import.meta.url);
const cliProgress = (): typeof CliProgress => require('cli-progress') as typeof CliProgress;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type Fields = Record<string, unknown>;

/** Progress of one long step; a no-op where no terminal is watching. */
export interface Progress {
  tick(delta: number): void;
  stop(): void;
}

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** A progress bar for `total` units of `label`; silent unless stderr is a TTY and the format is pretty. */
  progress(label: string, total: number): Progress;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Clock for timestamps; tests pin it. */
  now?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const NO_PROGRESS: Progress = { tick() {}, stop() {} };

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** Creates the logger; every line is passed through `redact` so secrets never reach the output. */
export function createLogger(options: LoggerOptions): Logger {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => new Date());
  const interactive = options.format === 'pretty' && stream.isTTY === true && options.level !== 'silent';
  let bar: CliProgress.SingleBar | undefined;

  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields: Fields = {}): void => {
    if (RANK[level] < RANK[options.level]) return;
    let line: string;
    if (options.format === 'json') {
      line = JSON.stringify({ time: now().toISOString(), level, msg: message, ...fields });
    } else {
      const extra = Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${formatValue(v)}`)
        .join(' ');
      const tag = level === 'info' ? '' : `${level.toUpperCase()} `;
      line = `${tag}${message}${extra ? `  ${extra}` : ''}`;
    }
    if (bar) bar.stop();
    stream.write(`${redact(line)}\n`);
  };

  return {
    level: options.level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    progress(label, total) {
      if (!interactive || total <= 0) return NO_PROGRESS;
      const { SingleBar, Presets } = cliProgress();
      const own = new SingleBar(
        { format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`, stream, clearOnComplete: true, hideCursor: true },
        Presets.shades_classic,
      );
      bar = own;
      own.start(total, 0);
      return {
        tick: (delta) => own.increment(delta),
        stop: () => {
          own.stop();
          if (bar === own) bar = undefined;
        },
      };
    },
  };
}
