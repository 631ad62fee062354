// node-schedule around the pipeline: a run at each cron tick, never two at once, and a clean stop on SIGINT/SIGTERM.
import { createRequire } from 'node:module';
import type * as NodeSchedule from 'node-schedule';
import { ConfigError, messageOf } from './errors.js';
import type { Logger } from './log.js';

// Loaded when a schedule starts, so the other commands never pay for it.
const require = createRequire(import.meta.url);

export const DEFAULT_CRON = '0 2 * * *';

/** The machine's time zone, the default for `--tz`. */
export const machineTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Throws ConfigError unless `tz` is an IANA zone this Node knows. */
export function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ConfigError(`--tz ${tz}: unknown time zone`, { hint: 'Use an IANA zone such as UTC, Europe/Madrid or America/Bogota.' });
  }
}

/** `when` as the wall-clock time in `tz`, e.g. `2026-11-30 02:00:00 Europe/Madrid`. */
export function inZone(when: Date, tz: string): string {
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'medium' }).format(when);
  return `${local} ${tz}`;
}

export interface ScheduleOptions {
  cron: string;
  tz: string;
  log: Logger;
  /**
   * One run. Its errors are logged and the schedule goes on. `signal` aborts on a second SIGINT/SIGTERM:
   * the run then starts no new task or attempt.
   */
  runOnce(signal: AbortSignal): Promise<void>;
  /** Process-like emitter of signals; tests may pass their own. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * Runs `runOnce` at every tick of `cron` in `tz` until SIGINT or SIGTERM, then lets the current run finish and
 * resolves (exit 0). A tick that comes while a run is still working is skipped, not queued: no catch-up.
 */
export function runSchedule(options: ScheduleOptions): Promise<void> {
  const { log, tz } = options;
  checkTimeZone(tz);
  const signals = options.signals ?? process;
  const abort = new AbortController();
  let current: Promise<void> | undefined;
  let stopping = false;

  const next = (job: NodeSchedule.Job): string | undefined => {
    const at = job.nextInvocation();
    return at ? new Date(at.getTime()).toISOString() : undefined;
  };

  const tick = (): void => {
    if (stopping) return;
    if (current) {
      log.warn('previous run still working; skipping this tick');
      return;
    }
    current = (async () => {
      try {
        await options.runOnce(abort.signal);
      } catch (error) {
        log.error('scheduled run failed', { error: messageOf(error) });
      } finally {
        current = undefined;
        const at = stopping ? undefined : next(job);
        if (at) log.info('next run', { at, local: inZone(new Date(at), tz) });
      }
    })();
  };

  const schedule = require('node-schedule') as typeof NodeSchedule;
  const job = schedule.scheduleJob({ rule: options.cron, tz }, tick);
  if (!job) {
    return Promise.reject(
      new ConfigError(`--cron "${options.cron}" is not a valid cron expression`, {
        hint: 'Five fields (minute hour day month weekday), or six with seconds first; e.g. "0 2 * * *" for 02:00 daily.',
      }),
    );
  }
  const first = next(job);
  log.info('schedule started', { cron: options.cron, tz, next_run: first, local: first ? inZone(new Date(first), tz) : undefined });

  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        log.warn(`${signal} again: stopping the current run after its current task`);
        abort.abort();
        return;
      }
      stopping = true;
      job.cancel();
      log.info(`${signal}: no new runs will start${current ? '; waiting for the current run to finish' : ''}`);
      void (current ?? Promise.resolve()).finally(() => {
        signals.off('SIGINT', stop);
        signals.off('SIGTERM', stop);
        log.info('schedule stopped');
        resolve();
      });
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
}
