// A worker thread that encodes the batches it is sent; the plan arrives once, as workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { BatchEncoder, batchBytes } from './batch.js';
import type { Plan } from './plan.js';

const encoder = new BatchEncoder(workerData as Plan);
const port = parentPort;
if (!port) throw new Error('generate/worker.js must run as a worker thread');
port.on('message', ({ batch, buffer }: { batch: number; buffer?: ArrayBuffer }) => {
  const encoded = encoder.encode(batch, buffer ? new Uint8Array(buffer) : new Uint8Array(batchBytes(workerData as Plan)));
  // Transfer, not copy: the bytes move to the main thread for writing, and the buffer comes back with a later batch.
  port.postMessage({ batch, ...encoded }, [encoded.body.buffer as ArrayBuffer]);
});
