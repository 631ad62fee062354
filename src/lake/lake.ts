// The data lake interface: a flat key space of immutable objects, behind which sit a folder or a bucket.
import type { Engine } from '../engine/duckdb.js';

/** One object in the lake. */
export interface LakeObject {
  /** Key relative to the lake root, with `/` separators, e.g. `raw/ads/run=.../part-00001.csv`. */
  readonly key: string;
  readonly size: number;
  /** A content fingerprint: the S3 ETag, or size and mtime for a folder. */
  readonly etag: string;
}

export interface Lake {
  /** The lake as the user wrote it (`data/lake`, `s3://bucket/prefix`). */
  readonly uri: string;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<LakeObject[]>;
  /** Writes an object atomically: readers see the old object or the whole new one, never a part. */
  write(key: string, body: string | Uint8Array): Promise<void>;
  /** Copies a local file into the lake under `key`, atomically. */
  upload(key: string, localFile: string): Promise<void>;
  /** Reads a whole object. */
  read(key: string): Promise<Buffer>;
  /** Deletes one object; a missing object is no error. */
  remove(key: string): Promise<void>;
  /**
   * Makes objects readable by DuckDB and returns, per key, a path or URL that DuckDB's readers accept.
   * A folder returns its own paths; a bucket returns s3:// URLs or downloads to `stagingDir`.
   */
  materialize(keys: readonly string[], stagingDir: string): Promise<Map<string, string>>;
  /**
   * Optional: configures the engine before `materialize` (the S3 lake decides httpfs or SDK reads here and
   * gives DuckDB its S3 secret). Lakes that DuckDB reads as plain files leave it out.
   */
  prepareEngine?(engine: Engine): Promise<void>;
  /**
   * Optional: keeps a local copy of every object written from now on under `stagingDir`, so that
   * `materialize(keys, stagingDir)` takes those instead of downloading them back. Lakes DuckDB reads in place leave it out.
   */
  keepCopies?(stagingDir: string): void;
  /**
   * Optional: aborts multipart uploads of published outputs that a killed run left unfinished (S3 keeps their
   * parts, invisible but billed). Returns how many. Call only while holding the state lock.
   */
  abortStaleUploads?(): Promise<number>;
  /** Releases clients and sockets. */
  close(): Promise<void>;
}

/** Joins key parts with single slashes. */
export function joinKey(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/{2,}/g, '/');
}

/** Whether `assertSafeKey` accepts `key`. */
export function isSafeKey(key: string): boolean {
  try {
    assertSafeKey(key);
    return true;
  } catch {
    return false;
  }
}

/** Rejects keys that could escape a folder: absolute, `..`, backslashes, NUL or encoded traversal. */
export function assertSafeKey(key: string): void {
  const decoded = (() => {
    try {
      return decodeURIComponent(key);
    } catch {
      return key;
    }
  })();
  for (const candidate of [key, decoded]) {
    if (
      candidate === '' ||
      candidate.startsWith('/') ||
      candidate.includes('\\') ||
      candidate.includes('\0') ||
      candidate.split('/').some((part) => part === '..' || part === '.')
    ) {
      throw new Error(`unsafe lake key "${key}"`);
    }
  }
}
