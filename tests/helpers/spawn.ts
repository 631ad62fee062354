// Starts the built CLI as a long-running child (schedule, a run that is held up) and waits for lines on stderr.
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, type CliResult } from './cli.js';

export interface Running {
  child: ChildProcess;
  stderr(): string;
  /** Resolves once stderr matches `pattern`; rejects when the child exits first or after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  done: Promise<CliResult>;
}

/** Spawns `marketing-etl args...` in `cwd` with a clean MKETL_* environment. */
export function startCli(args: string[], options: { cwd: string; env?: Record<string, string> }): Running {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('MKETL_')) delete env[key];
  Object.assign(env, options.env);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
    for (const w of waiters) w();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      exited = true;
      for (const w of waiters) w();
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    stderr: () => stderr,
    done,
    waitFor(pattern, ms = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern}; stderr:\n${stderr}`)), ms);
        const check = (): void => {
          if (pattern.test(stderr)) finish();
          else if (exited) finish(new Error(`exited before ${pattern}; stderr:\n${stderr}`));
        };
        function finish(error?: Error): void {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        }
        waiters.add(check);
        check();
      });
    },
  };
}
