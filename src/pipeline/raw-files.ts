// Finds the raw files a run must load and sorts them by header layout, so each group is read with explicit types.
import fs from 'node:fs/promises';
import { type Engine, sqlString } from '../engine/duckdb.js';
import { BadInputError, EtlError, messageOf } from '../errors.js';
import { RAW_PREFIX } from '../generate/generate.js';
import type { Lake, LakeObject } from '../lake/lake.js';
import { matchLayout, parseHeader, RAW_LAYOUTS } from '../sql/layouts.js';
import type { RawFile, RawGroup } from '../sql/raw-input.js';
import type { ManifestEntry } from './state.js';

/** A raw file already in the manifest whose size or ETag differs now: reported, never loaded a second time. */
export interface ChangedRawFile {
  readonly object: LakeObject;
  readonly loaded: ManifestEntry;
}

/**
 * Every raw CSV below `raw/ads/` (any folder depth): the ones to load, the empty ones never taken, and the ones
 * already loaded that reappear with other content under the same key (same size and ETag: silently skipped).
 */
export async function discoverRawFiles(
  lake: Lake,
  manifest: ReadonlyMap<string, ManifestEntry>,
  fullRefresh: boolean,
): Promise<{ fresh: LakeObject[]; empty: LakeObject[]; changed: ChangedRawFile[] }> {
  const listed = (await lake.list(RAW_PREFIX)).filter((o) => o.key.toLowerCase().endsWith('.csv'));
  const unseen = fullRefresh ? listed : listed.filter((o) => !manifest.has(o.key));
  const changed: ChangedRawFile[] = [];
  if (!fullRefresh) {
    for (const object of listed) {
      const loaded = manifest.get(object.key);
      if (loaded && (Number(loaded.size) !== object.size || loaded.etag !== object.etag)) changed.push({ object, loaded });
    }
  }
  return { fresh: unseen.filter((o) => o.size > 0), empty: unseen.filter((o) => o.size === 0), changed };
}

const HEAD_BYTES = 64 * 1024;

async function localFirstLine(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const nl = text.indexOf('\n');
    return nl === -1 ? text : text.slice(0, nl);
  } finally {
    await handle.close();
  }
}

// A URL (s3://...) is read by DuckDB itself: one text column, no quoting, first line only.
async function remoteFirstLine(engine: Engine, url: string): Promise<string> {
  const rows = await engine.all<{ line: string }>(
    `select line from read_csv(${sqlString(url)}, header = false, auto_detect = false, delim = '\u0001', quote = '', escape = '',
       columns = {'line': 'varchar'}) limit 1`,
  );
  return rows[0]?.line ?? '';
}

/** Reads each file's header and groups the files by layout; a file that matches no layout fails the run. */
export async function groupByLayout(engine: Engine, files: readonly RawFile[]): Promise<RawGroup[]> {
  const byLayout = new Map<string, RawFile[]>();
  const problems: string[] = [];
  for (const file of files) {
    let line: string;
    try {
      line = file.path.includes('://') ? await remoteFirstLine(engine, file.path) : await localFirstLine(file.path);
    } catch (error) {
      throw new EtlError(`cannot read raw file ${file.key}: ${messageOf(error).split('\n')[0]}`, {
        cause: error,
        hint: 'Check the file exists and is readable; nothing was loaded.',
      });
    }
    const match = matchLayout(parseHeader(line));
    if (!match.layout) {
      problems.push(`${file.key}: header matches no known layout, ${match.difference}`);
      continue;
    }
    const list = byLayout.get(match.layout.name) ?? [];
    list.push(file);
    byLayout.set(match.layout.name, list);
  }
  if (problems.length > 0) {
    throw new BadInputError(`raw file with an unknown header: ${problems.join('; ')}`, {
      hint: `Known layouts: ${RAW_LAYOUTS.map((l) => `${l.name} (${l.columns.join(',')})`).join(' | ')}. Fix or move the file; nothing was loaded.`,
    });
  }
  return RAW_LAYOUTS.filter((l) => byLayout.has(l.name)).map((layout) => ({ layout, files: byLayout.get(layout.name) ?? [] }));
}
