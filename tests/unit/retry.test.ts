// Durations, backoff and which errors are worth a retry.
import { describe, expect, it } from 'vitest';
import { CheckFailedError, ConfigError, EtlError, SqlError } from '../../src/errors.js';
import { backoffMs, isRetryable, parseDuration, withRetry } from '../../src/pipeline/retry.js';

describe('parseDuration', () => {
  it('reads ms, s, m and h, and bare numbers as seconds', () => {
    expect(parseDuration('100ms')).toBe(100);
    expect(parseDuration('300s')).toBe(300_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2')).toBe(2000);
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'five minutes', '5 days', '-1s', '5d']) expect(parseDuration(bad)).toBeNaN();
  });
});

describe('backoff and retryable errors', () => {
  it('doubles the delay at each retry', () => {
    const policy = { retries: 3, delayMs: 300_000 };
    expect([1, 2, 3].map((n) => backoffMs(policy, n))).toEqual([300_000, 600_000, 1_200_000]);
    expect(backoffMs(policy, 40)).toBe(2 ** 31 - 1);
  });

  it('retries plain and task errors, never usage or data-quality errors', () => {
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetryable(new EtlError('S3 timeout'))).toBe(true);
    expect(isRetryable(new SqlError('models/x.sql', 1, 'boom', 'select'))).toBe(true);
    expect(isRetryable(new ConfigError('bad flag'))).toBe(false);
    expect(isRetryable(new CheckFailedError('check failed'))).toBe(false);
  });

  it('stops after 1 + retries attempts and returns the last error', async () => {
    let calls = 0;
    const r = await withRetry(
      async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      },
      { retries: 2, delayMs: 1 },
    );
    expect(r).toMatchObject({ ok: false, attempts: 3 });
    expect((r.error as Error).message).toBe('fail 3');
    expect(calls).toBe(3);
  });

  it('starts no new attempt once the stop signal aborted', async () => {
    const stop = new AbortController();
    let calls = 0;
    const r = await withRetry(
      async () => {
        calls++;
        stop.abort();
        throw new Error('down');
      },
      { retries: 5, delayMs: 60_000 },
      { signal: stop.signal },
    );
    expect(r.attempts).toBe(1);
    expect(calls).toBe(1);
  });
});
