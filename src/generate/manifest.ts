// The run manifest written next to a run's batches: what was written and the exact count of each kind of dirt.
import type { DirtCounts } from './dirt.js';

/** Its file name inside `raw/ads/run=<run-id>/`; the transform reads only `*.csv`, so it is never loaded as data. */
export const MANIFEST_NAME = '_manifest.json';

/** The contract with the SQL cleaning (see README "Data"); keys and their order are fixed. */
export interface RunManifest {
  run_id: string;
  seed: number;
  /** Data lines in all CSV files of the run, duplicates included. */
  rows_written: number;
  files: number;
  dirt: DirtCounts;
}

/** The manifest as the bytes written to the lake. */
export function manifestJson(manifest: RunManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
