// One pipeline run: take the lock, open the lake and the state database, run the task graph, record the history.
import fs from 'node:fs/promises';
import os from 'node:os';
import type { Config } from '../config.js';
import { withEngine } from '../engine/duckdb.js';
import { EtlError, ExitCode, messageOf } from '../errors.js';
import { type GenerateOptions, startEncoders } from '../generate/generate.js';
import { openLake } from '../lake/index.js';
import type { Lake } from '../lake/lake.js';
import type { Logger } from '../log.js';
import type { KpiTable } from '../report/kpis.js';
import { cleanUpAfterCrashes, runStagingDir } from './cleanup.js';
import { type GraphResult, runGraph, type TaskResult } from './graph.js';
import { type RunTrigger, recordRunEnd, recordRunStart, recordTask } from './history.js';
import { lockFileFor, withLock } from './lock.js';
import type { RetryPolicy } from './retry.js';
import { pipelineTasks, type TaskOutputs } from './tasks.js';

export interface PipelineOptions {
  runId: string;
  trigger: RunTrigger;
  /** {{ run_date }} for the SQL: the backfill day, or the last day of the range. */
  runDate: string;
  /** The days this run covers (recorded in the history). */
  from: string | null;
  to: string | null;
  fullRefresh: boolean;
  /** --max-reject-rate; the transform's default when absent. */
  maxRejectRate?: number;
  /** Absent with `--skip-generate`: the run works on the raw files already in the lake. */
  generate?: GenerateOptions;
  retry: RetryPolicy;
  /** Aborting it lets the current attempt finish but starts no new attempt or task. */
  signal?: AbortSignal;
  /** For the lock file: what is running. */
  command: string;
}

export interface PipelineResult extends GraphResult {
  runId: string;
  exitCode: ExitCode;
  kpis: KpiTable[];
}

/** The exit code a failed task stands for: its own (2 usage, 3 checks) or 1. */
export function exitCodeOf(failed: TaskResult | undefined): ExitCode {
  if (!failed) return ExitCode.taskFailed;
  return failed.error instanceof EtlError ? failed.error.exitCode : ExitCode.taskFailed;
}

/** The error to report for a run that did not succeed: names the failed task and keeps the cause and hint. */
export function runError(result: PipelineResult): EtlError {
  const failed = result.failed;
  if (!failed) {
    return new EtlError(`run ${result.runId} stopped before every task ran`, {
      hint: `See \`marketing-etl runs show ${result.runId}\`.`,
    });
  }
  const hint = failed.error instanceof EtlError ? failed.error.hint : undefined;
  const tries = failed.attempts === 1 ? '1 attempt' : `${failed.attempts} attempts`;
  return new EtlError(`task ${failed.name} failed after ${tries}: ${messageOf(failed.error)}`, {
    exitCode: result.exitCode,
    cause: failed.error,
    hint: hint ?? `See \`marketing-etl runs show ${result.runId}\` for every task.`,
  });
}

/**
 * Runs the whole graph once. Throws LockedError at once when another run holds the state; otherwise returns a
 * result per task (a failed task is a result, not a throw), with the history already written.
 */
export async function runPipeline(config: Config, options: PipelineOptions, log: Logger): Promise<PipelineResult> {
  return withLock(lockFileFor(config.state), options.command, async () => {
    // The generator's threads boot while the lake, the state and the history are opened; generate stops them when
    // done, and this when generate never ran.
    const encoders = options.generate ? startEncoders(options.generate) : undefined;
    let lake: Lake;
    try {
      lake = await openLake(config, log);
    } catch (error) {
      await encoders?.stop();
      throw error;
    }
    try {
      await cleanUpAfterCrashes(config, lake, log);
      return await withEngine({ path: config.state }, async (engine) => {
        const startedAt = new Date();
        await recordRunStart(engine, {
          runId: options.runId,
          startedAt,
          trigger: options.trigger,
          runDate: options.runDate,
          from: options.from,
          to: options.to,
          host: os.hostname(),
          pid: process.pid,
        });
        log.info('run start', { run_id: options.runId, trigger: options.trigger, run_date: options.runDate });
        const outputs: TaskOutputs = { kpis: [] };
        const tasks = pipelineTasks(
          {
            config,
            lake,
            engine,
            log,
            runId: options.runId,
            runDate: options.runDate,
            fullRefresh: options.fullRefresh,
            ...(options.maxRejectRate !== undefined ? { maxRejectRate: options.maxRejectRate } : {}),
            ...(options.generate ? { generate: options.generate } : {}),
            ...(encoders ? { encoders } : {}),
          },
          outputs,
        );
        let graph: GraphResult;
        try {
          graph = await runGraph(tasks, {
            retry: options.retry,
            log,
            ...(options.signal ? { signal: options.signal } : {}),
            onTaskEnd: (r, seq) => recordTask(engine, options.runId, seq, r),
          });
        } catch (error) {
          await recordRunEnd(engine, options.runId, { endedAt: new Date(), status: 'failed', exitCode: ExitCode.taskFailed, error });
          throw error;
        }
        const exitCode = graph.ok ? ExitCode.ok : exitCodeOf(graph.failed);
        const result: PipelineResult = { ...graph, runId: options.runId, exitCode, kpis: outputs.kpis };
        await recordRunEnd(engine, options.runId, {
          endedAt: new Date(),
          status: graph.ok ? 'success' : graph.failed ? 'failed' : 'stopped',
          exitCode,
          ...(graph.ok ? {} : { error: runError(result) }),
        });
        log.info(graph.ok ? 'run done' : 'run failed', {
          run_id: options.runId,
          exit_code: exitCode,
          seconds: Math.round((Date.now() - startedAt.getTime()) / 10) / 100,
        });
        return result;
      });
    } finally {
      // Copies of generated batches wait here for the transform, which removes them; a run stopped before it must too.
      if (config.lake.kind !== 'local') await fs.rm(runStagingDir(config, options.runId), { recursive: true, force: true });
      await lake.close();
      await encoders?.stop();
    }
  });
}
