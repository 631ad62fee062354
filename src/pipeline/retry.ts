// Retries one task with exponential backoff; usage and data-quality errors are final and never retried.
import { BadInputError, EtlError, ExitCode } from '../errors.js';

export interface RetryPolicy {
  /** Extra attempts after the first one fails (0 = no retry). */
  retries: number;
  /** Wait before the first retry; each later retry waits twice as long as the one before. */
  delayMs: number;
}

export const DEFAULT_RETRIES = 1;
export const DEFAULT_RETRY_DELAY = '5m';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `100ms`, `300s`, `5m`, `1h` (a bare number means seconds) into milliseconds; NaN when invalid. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) return Number.NaN;
  return Math.round(Number(match[1]) * (UNITS[(match[2] ?? 's').toLowerCase()] as number));
}

/** The longest wait setTimeout can hold (about 24.8 days); longer values would fire at once. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/** The wait before retry number `retry` (1-based): delay, 2 x delay, 4 x delay... */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  return Math.min(MAX_WAIT_MS, policy.delayMs * 2 ** (retry - 1));
}

/**
 * Whether trying again could help. A ConfigError (exit 2), a CheckFailedError (exit 3) or a BadInputError (raw
 * files the run cannot accept) gives the same answer every time, so retrying would only delay the report.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof BadInputError) return false;
  return !(error instanceof EtlError) || error.exitCode === ExitCode.taskFailed;
}

/** Resolves after `ms`, or early when `signal` aborts (the caller then decides not to retry). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface Attempted<T> {
  attempts: number;
  value?: T;
  error?: unknown;
  ok: boolean;
}

export interface RetryHooks {
  /** Called before each wait, so the log says what failed and when the next attempt comes. */
  onRetry?(error: unknown, attempt: number, waitMs: number): void;
  /** A stop request: no new attempt starts once it aborts. */
  signal?: AbortSignal;
}

/** Runs `fn` up to 1 + retries times; never throws, returns the last error instead. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<Attempted<T>> {
  let attempt = 0;
  for (;;) {
    attempt++;
    try {
      return { attempts: attempt, value: await fn(attempt), ok: true };
    } catch (error) {
      if (attempt > policy.retries || !isRetryable(error) || hooks.signal?.aborted) return { attempts: attempt, error, ok: false };
      const wait = backoffMs(policy, attempt);
      hooks.onRetry?.(error, attempt, wait);
      await sleep(wait, hooks.signal);
      if (hooks.signal?.aborted) return { attempts: attempt, error, ok: false };
    }
  }
}
