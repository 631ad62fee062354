// The lakes a benchmark runs on: a local folder in a temporary work folder, or a bucket on a moto_server the bench
// starts on a free loopback port and stops afterwards.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type MotoServer, startMoto } from './moto.js';

export const LAKE_KINDS = ['local', 's3'] as const;
export type LakeKind = (typeof LAKE_KINDS)[number];

export const BUCKET = 'mketl-bench';

/** Where one benchmark run keeps everything: lake, state, outputs; `args` are the CLI's global flags for them. */
export interface Workspace {
  kind: LakeKind;
  dir: string;
  args: string[];
  env: Record<string, string | undefined>;
}

export interface Lakes {
  workspace(kind: LakeKind, name: string): Promise<Workspace>;
  close(): Promise<void>;
}

/** Starts moto only when an S3 lake is asked for; `keep` leaves the work folders in place. */
export async function openLakes(kinds: readonly LakeKind[], baseDir: string | undefined, keep: boolean): Promise<Lakes> {
  const root = await fs.mkdtemp(path.join(baseDir ?? os.tmpdir(), 'mketl-bench-'));
  let moto: MotoServer | undefined;
  try {
    if (kinds.includes('s3')) {
      moto = await startMoto();
      await moto.createBucket(BUCKET);
    }
  } catch (error) {
    await fs.rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    async workspace(kind, name) {
      const dir = path.join(root, `${kind}-${name}`);
      await fs.mkdir(dir, { recursive: true });
      const lake = kind === 'local' ? path.join(dir, 'lake') : `s3://${BUCKET}/${name}`;
      const args = ['--lake', lake, '--state', path.join(dir, 'state', 'warehouse.duckdb'), '--output-dir', path.join(dir, 'output')];
      if (kind === 's3' && moto) args.push('--s3-endpoint', moto.endpoint);
      return { kind, dir, args, env: kind === 's3' && moto ? moto.env : {} };
    },
    async close() {
      await moto?.stop();
      if (keep) process.stderr.write(`kept the work folders in ${root}\n`);
      else await fs.rm(root, { recursive: true, force: true });
    },
  };
}
