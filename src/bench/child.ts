// Runs one in-process measurement (a stage's `measure`) in a fresh child process, so its peak RSS is its own.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Measurement } from './stage.js';

export const CHILD_FLAG = '--child';

export async function inChild(stageName: string, params: Record<string, unknown>): Promise<Measurement> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [main, CHILD_FLAG, stageName, JSON.stringify(params)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Measurement;
}
