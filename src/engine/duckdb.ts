// The only importer of @duckdb/node-api: opens the state database, applies settings, runs SQL, closes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type * as NodeApi from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { EtlError, messageOf, StateCorruptError } from '../errors.js';

// The client is CommonJS: require() loads it without the export-name scan Node runs when ESM imports a CommonJS
// package (about 0.1 s of every command's start-up).
const { DuckDBConnection, DuckDBInstance, listValue } = createRequire(import.meta.url)('@duckdb/node-api') as typeof NodeApi;

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export interface EngineOptions {
  /** Database file; ':memory:' for none. */
  path: string;
  /** DuckDB memory_limit, e.g. '2GB'. */
  memoryLimit?: string;
  threads?: number;
  /** Folder for spilling; defaults to a folder beside the database. */
  tempDirectory?: string;
}

/**
 * DuckDB's buffer pool. The process needs about 0.5 GB more (Node, DuckDB's own allocations), so 1.25 GB keeps the
 * 10M-row transform under 2 GB of RSS (1.73 GB measured; 2.28 GB with 2 GB) for about 5% more time (27.8 s against
 * 26.4 s); what does not fit spills to temp_directory.
 */
export const DEFAULT_MEMORY_LIMIT = '1.25GB';

/** A thin handle over one DuckDB connection. */
export interface Engine {
  /** Runs SQL (one or more statements when no params are given). */
  run(sql: string, params?: Params): Promise<void>;
  /** Runs one query and returns its rows as plain JS objects (bigints that fit become numbers). */
  all<T extends Row = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Number of statements in `sql`, as DuckDB's parser splits it. */
  countStatements(sql: string): Promise<number>;
  /** Runs `fn` in a transaction: commit on success, rollback on any error. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  close(): void;
  readonly path: string;
}

function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  return value;
}

/** A list parameter, e.g. for `unnest($keys::varchar[])`. */
export function listParam(items: readonly (string | number)[]): DuckDBValue {
  return listValue(items);
}

/** Quotes a string as a SQL literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Quotes an identifier. */
export function sqlIdent(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/** DuckDB's words for a damaged database file, at open time or when a damaged block is read. */
const CORRUPT = /not a valid DuckDB database file|Corrupt database file|checksum .* does not match|database file .* (is )?corrupt/i;

/** A StateCorruptError when `error` says the database file is damaged, else `error` itself. */
function corruptOr(file: string, error: unknown): unknown {
  const detail = (messageOf(error).split('\n')[0] ?? '').trim();
  return file !== ':memory:' && CORRUPT.test(detail) ? new StateCorruptError(file, detail, error) : error;
}

/** Opens the database, creating its folder. Fails with a clear message when the file is locked or corrupt. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const inMemory = options.path === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(options.path), { recursive: true });
  const tempDirectory = options.tempDirectory ?? (inMemory ? path.join(os.tmpdir(), 'mketl-duckdb-tmp') : `${options.path}.tmp`);
  let instance: NodeApi.DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(options.path, {
      memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      threads: String(options.threads ?? Math.max(1, os.availableParallelism())),
      temp_directory: tempDirectory,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
  } catch (error) {
    const detail = messageOf(error);
    const corrupt = corruptOr(options.path, error);
    if (corrupt instanceof StateCorruptError) throw corrupt;
    if (/Could not set lock|Conflicting lock/i.test(detail)) {
      // DuckDB names the holder: "Conflicting lock is held in /usr/bin/node (PID 123) by user ...".
      const holder = /held in (.*?) \(PID (\d+)\)/.exec(detail);
      const who = holder ? ` (pid ${holder[2]}, ${path.basename(holder[1] ?? '')})` : '';
      throw new EtlError(`state database ${options.path} is in use by another process${who}`, {
        cause: error,
        hint: `Wait for the other marketing-etl command to finish (see ${options.path}.lock for the run holding it), or point --state at another file.`,
      });
    }
    throw new EtlError(`cannot open state database ${options.path}: ${detail}`, {
      cause: error,
      hint: 'If the file is damaged, move it away and rebuild the state from the lake with `marketing-etl transform --full-refresh`.',
    });
  }
  const connection = await DuckDBConnection.create(instance);

  const engine: Engine = {
    path: options.path,
    async run(sql, params) {
      await connection.run(sql, params).catch((error: unknown) => {
        throw corruptOr(options.path, error);
      });
    },
    async all<T extends Row = Row>(sql: string, params?: Params) {
      const reader = await connection.runAndReadAll(sql, params).catch((error: unknown) => {
        throw corruptOr(options.path, error);
      });
      return reader.getRowObjectsJS().map((row) => {
        const out: Row = {};
        for (const [k, v] of Object.entries(row)) out[k] = toPlain(v);
        return out as T;
      });
    },
    async countStatements(sql) {
      const extracted = await connection.extractStatements(sql);
      return extracted.count;
    },
    async transaction(fn) {
      await connection.run('begin transaction');
      try {
        const result = await fn();
        await connection.run('commit');
        return result;
      } catch (error) {
        await connection.run('rollback').catch(() => undefined);
        throw error;
      }
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
  return engine;
}

/** Opens the engine, runs `fn`, and always closes it. */
export async function withEngine<T>(options: EngineOptions, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(options);
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}

/** Outcome of trying to load DuckDB's httpfs extension (never downloads: autoinstall is off). */
export type HttpfsStatus = { loaded: true } | { loaded: false; reason: string };

/** Tries `LOAD httpfs`; returns why it could not load instead of throwing. */
export async function loadHttpfs(engine: Engine): Promise<HttpfsStatus> {
  try {
    await engine.run('load httpfs');
    return { loaded: true };
  } catch (error) {
    const first = messageOf(error).split('\n')[0] ?? '';
    return { loaded: false, reason: first.replace(/^[A-Za-z ]+Error:\s*/, '').slice(0, 240) };
  }
}

/** DuckDB's version and platform, for the offline-install hint (the extension file must match both). */
export async function duckdbBuild(engine: Engine): Promise<{ version: string; platform: string }> {
  const rows = await engine.all<{ version: string; platform: string }>(
    'select library_version as version, platform from pragma_version(), pragma_platform()',
  );
  return rows[0] ?? { version: 'unknown', platform: 'unknown' };
}

/** What httpfs needs to read s3:// URLs: the credentials resolved once by the lake, and where S3 is. */
export interface S3SecretOptions {
  keyId: string;
  secret: string;
  sessionToken?: string | undefined;
  region: string;
  /** A custom endpoint URL (http://host:port), or undefined for AWS. */
  endpoint?: string | undefined;
}

/** Creates (or replaces) the session's S3 secret; the SQL text holds credentials, so errors never echo it. */
export async function createS3Secret(engine: Engine, options: S3SecretOptions): Promise<void> {
  const parts = [
    'type s3',
    `key_id ${sqlString(options.keyId)}`,
    `secret ${sqlString(options.secret)}`,
    `region ${sqlString(options.region)}`,
  ];
  if (options.sessionToken) parts.push(`session_token ${sqlString(options.sessionToken)}`);
  if (options.endpoint) {
    const url = new URL(options.endpoint);
    parts.push(`endpoint ${sqlString(url.host)}`, `url_style 'path'`, `use_ssl ${url.protocol === 'https:'}`);
  }
  try {
    await engine.run(`create or replace temporary secret mketl_s3 (${parts.join(', ')})`);
  } catch (error) {
    throw new EtlError(`cannot create the DuckDB S3 secret: ${messageOf(error).split('\n')[0]}`, {
      hint: 'Run `marketing-etl doctor`, or use --s3-read sdk to download through the AWS SDK instead.',
    });
  }
}

/** Whether the table `name` exists: in the state database (schema main), or among this connection's temporary tables. */
export async function hasTable(engine: Engine, name: string, temporary = false): Promise<boolean> {
  const rows = await engine.all<{ n: number }>(
    "select count(*) as n from duckdb_tables() where schema_name = 'main' and table_name = $name and temporary = $temporary",
    { name, temporary },
  );
  return (rows[0]?.n ?? 0) > 0;
}
