// Encoder threads started before the plan is made (the built code: a worker thread runs dist/generate/worker.js).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GenerateOptions } from '../../src/generate/plan.js';
import { ROOT } from '../helpers/cli.js';

const built = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(ROOT, 'dist/generate', file)).href)) as T;
const { Encoders, produceBatches } = await built<typeof import('../../src/generate/produce.js')>('produce.js');
const { makePlan } = await built<typeof import('../../src/generate/plan.js')>('plan.js');

const options: GenerateOptions = {
  rows: 23_000,
  batchRows: 2_000,
  from: '2026-01-01',
  to: '2026-01-31',
  seed: 9,
  runId: 'enc',
  dirtyRate: 0.1,
};

/** Every batch's bytes, by batch number. */
async function batches(threads: number, started?: InstanceType<typeof Encoders>): Promise<string[]> {
  const plan = await makePlan(options);
  const out: string[] = [];
  await produceBatches(
    plan,
    threads,
    async (b) => {
      out[b.batch] = Buffer.from(b.body).toString('latin1');
    },
    started,
  );
  return out;
}

describe('encoder threads started ahead of the plan', () => {
  it('write the same bytes as encoding in this thread, and as threads started with the plan', async () => {
    const here = await batches(0);
    const early = new Encoders(3);
    try {
      expect(await batches(3, early)).toEqual(here);
    } finally {
      await early.stop();
    }
    expect(await batches(3)).toEqual(here);
    expect(here).toHaveLength(12);
  });

  it('a thread that stopped before the batches were asked for fails the run instead of hanging it', async () => {
    const early = new Encoders(2);
    await (early.workers[1] as import('node:worker_threads').Worker).terminate();
    try {
      await expect(batches(2, early)).rejects.toThrow(/generator thread stopped/);
    } finally {
      await early.stop();
    }
  });
});
