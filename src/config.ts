// Resolves flags (already merged with MKETL_* variables by yargs) and AWS_* variables into one frozen Config.
import path from 'node:path';
import { ConfigError } from './errors.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from './log.js';

export const DEFAULT_LAKE = 'data/lake';
export const DEFAULT_STATE = 'data/state/warehouse.duckdb';
export const DEFAULT_OUTPUT_DIR = 'data/output';
export const DEFAULT_SQL_DIR = 'sql';
export const S3_READ_MODES = ['auto', 'httpfs', 'sdk'] as const;
export type S3ReadMode = (typeof S3_READ_MODES)[number];
/** Attempts per S3 request (the first try included), SDK standard retries with backoff and jitter. */
export const DEFAULT_S3_MAX_ATTEMPTS = 3;

/** Where the lake lives: a local folder, or a bucket and key prefix. */
export type LakeLocation = { kind: 'local'; root: string } | { kind: 's3'; bucket: string; prefix: string };

export interface Config {
  readonly lake: LakeLocation;
  /** The lake as the user wrote it, for messages. */
  readonly lakeUri: string;
  readonly state: string;
  readonly outputDir: string;
  readonly sqlDir: string;
  readonly s3Endpoint: string | undefined;
  readonly s3Region: string | undefined;
  readonly s3Read: S3ReadMode;
  readonly s3MaxAttempts: number;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/** The raw option values, as yargs parsed them (flags win over MKETL_* variables). */
export interface ConfigInput {
  lake?: string;
  state?: string;
  outputDir?: string;
  sqlDir?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3Read?: string;
  s3MaxAttempts?: number | string;
  logLevel?: string;
  logFormat?: string;
}

/** Parses `s3://bucket/prefix` or a folder path. */
export function parseLake(value: string): LakeLocation {
  if (/^s3:\/\//i.test(value)) {
    const rest = value.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new ConfigError(`--lake ${value}: "${bucket}" is not a valid S3 bucket name`, {
        hint: 'Use s3://bucket/prefix with a bucket name of 3-63 lowercase letters, digits, dots or hyphens.',
      });
    }
    return { kind: 's3', bucket, prefix };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new ConfigError(`--lake ${value}: unsupported scheme`, { hint: 'Use a local folder or s3://bucket/prefix.' });
  }
  return { kind: 'local', root: path.resolve(value) };
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T, problems: string[]): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return fallback;
}

/** Builds the frozen Config, reporting every problem at once. `env` supplies AWS_* fallbacks. */
export function resolveConfig(input: ConfigInput, env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const lakeUri = input.lake || DEFAULT_LAKE;
  let lake: LakeLocation = { kind: 'local', root: path.resolve(DEFAULT_LAKE) };
  try {
    lake = parseLake(lakeUri);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const s3Endpoint = input.s3Endpoint || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  if (s3Endpoint && !/^https?:\/\/[^\s/]+/.test(s3Endpoint)) {
    problems.push(`--s3-endpoint must be an http(s) URL (got "${s3Endpoint}")`);
  }
  const s3MaxAttempts =
    input.s3MaxAttempts === undefined || input.s3MaxAttempts === '' ? DEFAULT_S3_MAX_ATTEMPTS : Number(input.s3MaxAttempts);
  if (!Number.isInteger(s3MaxAttempts) || s3MaxAttempts < 1 || s3MaxAttempts > 20) {
    problems.push(`--s3-max-attempts must be a whole number from 1 to 20 (got "${input.s3MaxAttempts}")`);
  }
  const config: Config = {
    lake,
    lakeUri,
    state: path.resolve(input.state || DEFAULT_STATE),
    outputDir: path.resolve(input.outputDir || DEFAULT_OUTPUT_DIR),
    sqlDir: path.resolve(input.sqlDir || DEFAULT_SQL_DIR),
    s3Endpoint,
    s3Region: input.s3Region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    s3Read: oneOf('s3-read', input.s3Read, S3_READ_MODES, 'auto', problems),
    s3MaxAttempts,
    logLevel: oneOf('log-level', input.logLevel, LOG_LEVELS, 'info', problems),
    logFormat: oneOf('log-format', input.logFormat, LOG_FORMATS, 'pretty', problems),
  };
  if (problems.length > 0) {
    throw new ConfigError(problems.length === 1 ? (problems[0] as string) : `invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      hint: 'Run with --help to see the accepted values.',
    });
  }
  return Object.freeze(config);
}
