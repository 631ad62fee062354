// The task graph and its runner: each task starts once every task it depends on succeeded; one result per task.
import { ConfigError, messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import { type RetryPolicy, withRetry } from './retry.js';

/** What a task reports about its work, for the run history and the summary. */
export interface TaskOutput {
  rowsIn?: number;
  rowsOut?: number;
  /** One short line, e.g. `3 new files`. */
  detail?: string;
}

export interface Task {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** Does the work; `attempt` is 1 on the first try. Throws to fail. */
  run(attempt: number): Promise<TaskOutput | undefined>;
}

export type TaskStatus = 'Success' | 'Error' | 'NotExecuted';

/** One task's outcome (as kysely's MigrationResult: Success, Error or NotExecuted, never half-known). */
export interface TaskResult {
  name: string;
  status: TaskStatus;
  attempts: number;
  startedAt?: Date;
  endedAt?: Date;
  durationMs: number;
  rowsIn?: number;
  rowsOut?: number;
  detail?: string;
  /** The last error of a failed task. */
  error?: unknown;
}

export interface GraphResult {
  ok: boolean;
  /** In run order. */
  results: TaskResult[];
  /** The first task that failed, if any. */
  failed?: TaskResult;
}

export interface GraphOptions {
  retry: RetryPolicy;
  log: Logger;
  /** Called as each task ends or is passed over (`seq` = its place in run order), to write the history as the run goes. */
  onTaskEnd?(result: TaskResult, seq: number): Promise<void>;
  /** A stop request: no new attempt starts after it aborts. */
  signal?: AbortSignal;
  now?: () => Date;
}

/** The tasks in an order where each comes after its dependencies; unknown names, duplicates and cycles fail. */
export function orderTasks(tasks: readonly Task[]): Task[] {
  const byName = new Map<string, Task>();
  for (const task of tasks) {
    if (byName.has(task.name)) throw new ConfigError(`task graph: task "${task.name}" is declared twice`);
    byName.set(task.name, task);
  }
  const ordered: Task[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (task: Task, path: string[]): void => {
    const seen = state.get(task.name);
    if (seen === 'done') return;
    if (seen === 'visiting') throw new ConfigError(`task graph: cycle ${[...path, task.name].join(' -> ')}`);
    state.set(task.name, 'visiting');
    for (const dep of task.dependsOn) {
      const target = byName.get(dep);
      if (!target) throw new ConfigError(`task graph: "${task.name}" depends on unknown task "${dep}"`);
      visit(target, [...path, task.name]);
    }
    state.set(task.name, 'done');
    ordered.push(task);
  };
  for (const task of tasks) visit(task, []);
  return ordered;
}

/** Runs the graph one task at a time (they share one DuckDB connection); a failed task's dependants are NotExecuted. */
export async function runGraph(tasks: readonly Task[], options: GraphOptions): Promise<GraphResult> {
  const now = options.now ?? (() => new Date());
  const results: TaskResult[] = [];
  const status = new Map<string, TaskStatus>();
  for (const task of orderTasks(tasks)) {
    const blocked = task.dependsOn.filter((d) => status.get(d) !== 'Success');
    if (blocked.length > 0 || options.signal?.aborted) {
      status.set(task.name, 'NotExecuted');
      const passed: TaskResult = { name: task.name, status: 'NotExecuted', attempts: 0, durationMs: 0 };
      results.push(passed);
      await options.onTaskEnd?.(passed, results.length);
      options.log.debug('task not executed', { task: task.name, waiting_for: blocked.join(',') || undefined });
      continue;
    }
    const startedAt = now();
    const start = performance.now();
    options.log.debug('task start', { task: task.name });
    const attempted = await withRetry((attempt) => task.run(attempt), options.retry, {
      signal: options.signal,
      onRetry: (error, attempt, waitMs) =>
        options.log.warn(`task ${task.name} failed, retrying`, { attempt, retry_in_ms: waitMs, error: messageOf(error) }),
    });
    const output = attempted.value ?? {};
    const result: TaskResult = {
      name: task.name,
      status: attempted.ok ? 'Success' : 'Error',
      attempts: attempted.attempts,
      startedAt,
      endedAt: now(),
      durationMs: Math.round(performance.now() - start),
      ...output,
      ...(attempted.ok ? {} : { error: attempted.error }),
    };
    status.set(task.name, result.status);
    results.push(result);
    const fields = { attempts: result.attempts, seconds: result.durationMs / 1000, rows_in: result.rowsIn, rows_out: result.rowsOut };
    if (attempted.ok) options.log.info(`task ${task.name} done`, { ...fields, detail: result.detail });
    else options.log.error(`task ${task.name} failed`, { ...fields, error: messageOf(attempted.error) });
    await options.onTaskEnd?.(result, results.length);
  }
  const failed = results.find((r) => r.status === 'Error');
  const stopped = results.some((r) => r.status === 'NotExecuted');
  return { ok: !failed && !stopped, results, ...(failed ? { failed } : {}) };
}
