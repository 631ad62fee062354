// A real logger whose lines a test can read.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';

/** An info-level pretty logger writing into `lines`, one entry per logged line. */
export function captureLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger({ level: 'info', format: 'pretty', stream }), lines };
}
