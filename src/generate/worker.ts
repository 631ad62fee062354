// A worker thread that encodes the batches it is sent. It starts before the plan exists (so that it loads its code
// while the plan is made), and the plan arrives as its first message.
import { parentPort } from 'node:worker_threads';
import { BatchEncoder, batchBytes } from './batch.js';
import type { Plan } from './plan.js';

/** What the main thread sends: the plan once, then batch numbers (with a buffer to reuse, once there is one). */
export type EncoderMessage = { plan: Plan } | { batch: number; buffer?: ArrayBuffer };

const port = parentPort;
if (!port) throw new Error('generate/worker.js must run as a worker thread');
let plan: Plan | undefined;
let encoder: BatchEncoder | undefined;
port.on('message', (message: EncoderMessage) => {
  if ('plan' in message) {
    plan = message.plan;
    encoder = new BatchEncoder(plan);
    return;
  }
  if (!plan || !encoder) throw new Error('generate/worker.js: a batch was sent before the plan');
  const { batch, buffer } = message;
  const encoded = encoder.encode(batch, buffer ? new Uint8Array(buffer) : new Uint8Array(batchBytes(plan)));
  // Transfer, not copy: the bytes move to the main thread for writing, and the buffer comes back with a later batch.
  port.postMessage({ batch, ...encoded }, [encoded.body.buffer as ArrayBuffer]);
});
