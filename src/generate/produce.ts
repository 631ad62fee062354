// Runs the batch encoder in this thread or in worker threads, and hands every batch to `write` with bounded memory.
import { Worker } from 'node:worker_threads';
import { BatchEncoder, batchBytes, type EncodedBatch } from './batch.js';
import { type Plan, slimPlan } from './plan.js';
import type { EncoderMessage } from './worker.js';

export interface ProducedBatch extends EncodedBatch {
  /** 0-based batch index. */
  readonly batch: number;
}

/** Batches each worker may hold (being encoded or waiting to be written): bounds memory at 2 x threads batches. */
const PER_WORKER = 2;

/** Encoder threads started before their plan is made: they load their code meanwhile. Stop them once done. */
export class Encoders {
  readonly workers: Worker[];
  /** The first failure or stop of a thread, so that one before produceBatches listens is not missed. */
  failure: unknown;

  constructor(count: number) {
    const url = new URL('./worker.js', import.meta.url);
    this.workers = Array.from({ length: count }, () => new Worker(url));
    // Kept until produceBatches listens: a thread that fails or stops before then is reported there, not lost.
    for (const worker of this.workers) {
      worker.on('error', (error) => {
        this.failure ??= error;
      });
      worker.on('exit', (code) => {
        this.failure ??= new Error(`a generator thread stopped with code ${code}`);
      });
    }
  }

  private claimed = false;

  /** True the first time, if no thread failed: a set of threads serves one produceBatches only. */
  claim(): boolean {
    if (this.claimed || this.failure !== undefined) return false;
    this.claimed = true;
    return true;
  }

  async stop(): Promise<void> {
    this.failure ??= new Error('the generator threads were stopped');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Encoder threads for `threads` and `rows` in batches of `batchRows`: none when one batch or no thread is asked for. */
export function encoderCount(threads: number, rows: number, batchRows: number): number {
  const batches = Math.ceil(rows / batchRows);
  return threads <= 0 || batches <= 1 ? 0 : Math.min(threads, batches);
}

/**
 * Produces every batch of `plan` and awaits `write` for each. `threads` 0 encodes here, overlapping one write with
 * the next encoding; otherwise `threads` workers encode (those of `started` first) and batches may arrive in any
 * order. The bytes of a batch depend only on (plan, batch), never on the thread count.
 */
export async function produceBatches(
  plan: Plan,
  threads: number,
  write: (batch: ProducedBatch) => Promise<void>,
  started?: Encoders,
): Promise<void> {
  const count = encoderCount(threads, plan.rows, plan.batchRows);
  if (count === 0) return produceHere(plan, write);
  const encoders = started && started.workers.length >= count ? started : new Encoders(count);
  try {
    return await produceInWorkers(plan, encoders, count, write);
  } finally {
    if (encoders !== started) await encoders.stop();
  }
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

async function produceInWorkers(
  plan: Plan,
  encoders: Encoders,
  threads: number,
  write: (batch: ProducedBatch) => Promise<void>,
): Promise<void> {
  const workers = encoders.workers.slice(0, threads);
  const slim: EncoderMessage = { plan: slimPlan(plan) };
  let next = 0;
  let finished = 0;
  await new Promise<void>((resolve, reject) => {
    if (encoders.failure !== undefined) reject(encoders.failure);
    // A written batch's buffer goes back to its worker with the next batch: no new buffer per batch.
    const send = (worker: Worker, buffer?: ArrayBuffer) => {
      if (next >= plan.batches) return;
      if (buffer) worker.postMessage({ batch: next++, buffer } satisfies EncoderMessage, [buffer]);
      else worker.postMessage({ batch: next++ } satisfies EncoderMessage);
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
      worker.postMessage(slim);
      for (let i = 0; i < PER_WORKER; i++) send(worker);
    }
  });
}
