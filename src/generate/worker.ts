// A worker thread that encodes the batches it is sent; the plan arrives once, as workerData.
import { parentPort, workerData } from 'node:worker_threads';
import { BatchEncoder } from './batch.js';
import type { Plan } from './plan.js';

const encoder = new BatchEncoder(workerData as Plan);
const port = parentPort;
if (!port) throw new Error('generate/worker.js must run as a worker thread');
port.on('message', (batch: number) => {
  const encoded = encoder.encode(batch);
  // Transfer, not copy: the bytes move to the main thread for writing.
  port.postMessage({ batch, ...encoded }, [encoded.body.buffer as ArrayBuffer]);
});
