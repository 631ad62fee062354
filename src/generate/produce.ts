// Runs the batch encoder in this thread or in worker threads, and hands every batch to `write` with bounded memory.
import { Worker } from 'node:worker_threads';
import { BatchEncoder, batchBytes, type EncodedBatch } from './batch.js';
import { type Plan, slimPlan } from './plan.js';

export interface ProducedBatch extends EncodedBatch {
  /** 0-based batch index. */
  readonly batch: number;
}

/** Batches each worker may hold (being encoded or waiting to be written): bounds memory at 2 x threads batches. */
const PER_WORKER = 2;

/**
 * Produces every batch of `plan` and awaits `write` for each. `threads` 0 encodes here, overlapping one write with
 * the next encoding; otherwise `threads` workers encode and batches may arrive in any order. The bytes of a batch
 * depend only on (plan, batch), never on the thread count.
 */
export async function produceBatches(plan: Plan, threads: number, write: (batch: ProducedBatch) => Promise<void>): Promise<void> {
  if (threads <= 0 || plan.batches === 1) return produceHere(plan, write);
  return produceInWorkers(plan, Math.min(threads, plan.batches), write);
}

async function produceHere(plan: Plan, write: (batch: ProducedBatch) => Promise<void>): Promise<void> {
  const encoder = new BatchEncoder(plan);
  // Two buffers take turns: one is being written to the lake while the next batch is encoded into the other.
  const buffers: Uint8Array[] = [new Uint8Array(batchBytes(plan)), new Uint8Array(batchBytes(plan))];
  let pending: Promise<void> = Promise.resolve();
  try {
    for (let batch = 0; batch < plan.batches; batch++) {
      const encoded = { batch, ...encoder.encode(batch, buffers[batch % 2] as Uint8Array) };
      buffers[batch % 2] = new Uint8Array(encoded.body.buffer);
      await pending;
      pending = write(encoded);
    }
    await pending;
  } finally {
    await pending.catch(() => undefined);
  }
}

async function produceInWorkers(plan: Plan, threads: number, write: (batch: ProducedBatch) => Promise<void>): Promise<void> {
  const url = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(url, { workerData: slimPlan(plan) }));
  let next = 0;
  let finished = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      // A written batch's buffer goes back to its worker with the next batch: no new buffer per batch.
      const send = (worker: Worker, buffer?: ArrayBuffer) => {
        if (next >= plan.batches) return;
        if (buffer) worker.postMessage({ batch: next++, buffer }, [buffer]);
        else worker.postMessage({ batch: next++ });
      };
      for (const worker of workers) {
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (finished < plan.batches) reject(new Error(`a generator thread stopped with code ${code}`));
        });
        // The next batch is sent only once this one is written, so unwritten batches never pile up.
        worker.on('message', (produced: ProducedBatch) => {
          write(produced).then(() => {
            finished++;
            if (finished === plan.batches) resolve();
            else send(worker, produced.body.buffer as ArrayBuffer);
          }, reject);
        });
        for (let i = 0; i < PER_WORKER; i++) send(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
