// Run-start sweep for what a killed run left behind: temp files, staging folders, unfinished multipart uploads.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Lake } from '../lake/lake.js';
import { removeStaleTemp } from '../lake/temp.js';
import type { Logger } from '../log.js';

/** Where the S3 lake stages downloads for DuckDB: `<state folder>/staging/<run id>/`. */
export const stagingRoot = (config: Config): string => path.join(path.dirname(config.state), 'staging');
/** One run's staging folder, as the transform uses it. */
export const runStagingDir = (config: Config, runId: string): string => path.join(stagingRoot(config), runId);

/**
 * Call while holding the state lock, before anything else: staging folders belong to the run holding the lock,
 * so any found now are a dead run's; temp files are removed only when their writer is gone.
 */
export async function cleanUpAfterCrashes(config: Config, lake: Lake, log: Logger): Promise<void> {
  const dirs = [config.outputDir, path.dirname(config.state)];
  if (config.lake.kind === 'local') dirs.push(config.lake.root);
  const removed = await removeStaleTemp(dirs);
  let staged: string[] = [];
  try {
    staged = await fs.readdir(stagingRoot(config));
  } catch {
    // No staging folder yet.
  }
  for (const name of staged) await fs.rm(path.join(stagingRoot(config), name), { recursive: true, force: true });
  const aborted = (await lake.abortStaleUploads?.()) ?? 0;
  if (removed.length + staged.length + aborted > 0) {
    log.warn('cleaned up after an interrupted run', {
      temp_files: removed.length,
      staging_folders: staged.length,
      multipart_uploads: aborted,
    });
  }
}
