// The task graph runner as a library, with real task functions: order, retries, NotExecuted dependants.
import { describe, expect, it } from 'vitest';
import { CheckFailedError, ConfigError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { orderTasks, runGraph, type Task, type TaskResult } from '../../src/pipeline/graph.js';

const log = createLogger({ level: 'silent', format: 'pretty' });
const retry = { retries: 1, delayMs: 5 };

/** A linear graph a -> b -> c -> d whose task bodies are given; records every call. */
function chain(bodies: Record<string, (attempt: number) => Promise<void>>, calls: string[]): Task[] {
  const names = ['a', 'b', 'c', 'd'];
  return names.map((name, i) => ({
    name,
    dependsOn: i === 0 ? [] : [names[i - 1] as string],
    async run(attempt: number) {
      calls.push(`${name}#${attempt}`);
      await bodies[name]?.(attempt);
      return { rowsOut: i };
    },
  }));
}

describe('runGraph', () => {
  it('retries a task that fails once; the run succeeds with 2 attempts recorded and nothing redone', async () => {
    const calls: string[] = [];
    const ended: TaskResult[] = [];
    const result = await runGraph(
      chain(
        {
          b: async (attempt) => {
            if (attempt === 1) throw new Error('connection reset');
          },
        },
        calls,
      ),
      { retry, log, onTaskEnd: async (r) => void ended.push(r) },
    );
    expect(result.ok).toBe(true);
    expect(calls).toEqual(['a#1', 'b#1', 'b#2', 'c#1', 'd#1']);
    expect(result.results.map((r) => [r.name, r.status, r.attempts])).toEqual([
      ['a', 'Success', 1],
      ['b', 'Success', 2],
      ['c', 'Success', 1],
      ['d', 'Success', 1],
    ]);
    expect(ended.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.results[2]?.rowsOut).toBe(2);
  });

  it('a task that always fails stops its dependants, which are NotExecuted', async () => {
    const calls: string[] = [];
    const result = await runGraph(
      chain(
        {
          b: async () => {
            throw new Error('disk full');
          },
        },
        calls,
      ),
      { retry: { retries: 2, delayMs: 1 }, log },
    );
    expect(result.ok).toBe(false);
    expect(result.failed?.name).toBe('b');
    expect(result.failed?.error).toEqual(new Error('disk full'));
    expect(calls).toEqual(['a#1', 'b#1', 'b#2', 'b#3']);
    expect(result.results.map((r) => [r.name, r.status, r.attempts])).toEqual([
      ['a', 'Success', 1],
      ['b', 'Error', 3],
      ['c', 'NotExecuted', 0],
      ['d', 'NotExecuted', 0],
    ]);
  });

  it('does not retry a data-quality failure', async () => {
    const calls: string[] = [];
    const result = await runGraph(
      chain(
        {
          c: async () => {
            throw new CheckFailedError('2 duplicate keys');
          },
        },
        calls,
      ),
      { retry: { retries: 3, delayMs: 1 }, log },
    );
    expect(result.failed).toMatchObject({ name: 'c', attempts: 1 });
    expect(calls).toEqual(['a#1', 'b#1', 'c#1']);
  });

  it('still runs a task whose own dependencies succeeded when another branch failed', async () => {
    const ran: string[] = [];
    const task = (name: string, dependsOn: string[], fail = false): Task => ({
      name,
      dependsOn,
      async run() {
        ran.push(name);
        if (fail) throw new Error(`${name} broke`);
        return undefined;
      },
    });
    const result = await runGraph(
      [task('left', [], true), task('right', []), task('after_left', ['left']), task('join', ['left', 'right'])],
      {
        retry: { retries: 0, delayMs: 0 },
        log,
      },
    );
    expect(ran).toEqual(['left', 'right']);
    expect(Object.fromEntries(result.results.map((r) => [r.name, r.status]))).toEqual({
      left: 'Error',
      right: 'Success',
      after_left: 'NotExecuted',
      join: 'NotExecuted',
    });
  });
});

describe('orderTasks', () => {
  const t = (name: string, dependsOn: string[] = []): Task => ({ name, dependsOn, run: async () => undefined });

  it('puts every task after its dependencies, whatever the declared order', () => {
    expect(orderTasks([t('report', ['publish']), t('publish', ['transform']), t('transform')]).map((x) => x.name)).toEqual([
      'transform',
      'publish',
      'report',
    ]);
  });

  it('rejects cycles, unknown dependencies and duplicate names', () => {
    expect(() => orderTasks([t('a', ['b']), t('b', ['a'])])).toThrow(/cycle a -> b -> a/);
    expect(() => orderTasks([t('a', ['ghost'])])).toThrow(ConfigError);
    expect(() => orderTasks([t('a'), t('a')])).toThrow(/declared twice/);
  });
});
