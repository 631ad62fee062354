// Temporary file names for atomic writes (write, then rename) and the sweep that removes a crashed run's leftovers.
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Temporary files carry this marker, then the writer's pid: `.mketl-tmp-<pid>-...`. */
export const TMP_MARKER = '.mketl-tmp-';
const OWNER = /\.mketl-tmp-(\d+)/;

/** A temporary name beside `target`, owned by this process. */
export function tempPathFor(target: string): string {
  return `${target}${TMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files under `dirs` whose writer is gone (a killed run). A live writer's files stay, so a
 * `generate` running beside this sweep keeps its half-written batch. Returns the paths removed.
 */
export async function removeStaleTemp(dirs: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // Missing folders have nothing to clean.
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const owner = OWNER.exec(entry.name);
      // A marked folder (the master's partitions, written before they move into place) goes as a whole.
      if (owner && Number(owner[1]) !== process.pid && !alive(Number(owner[1]))) {
        await fs.rm(full, { recursive: true, force: true });
        removed.push(full);
      } else if (entry.isDirectory()) await walk(full);
    }
  };
  for (const dir of dirs) await walk(dir);
  return removed;
}
