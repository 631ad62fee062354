// Runs one marketing-etl command as a fresh child process (through cli-child.js) and returns what it cost.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliRun {
  exitCode: number;
  /** From the process's start (Node's time origin) to its exit. */
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** The JSON log lines the command wrote to stderr (`--log-format json` is always passed). */
  logs: Record<string, unknown>[];
  stderr: string;
}

const CHILD = fileURLToPath(new URL('./cli-child.js', import.meta.url));

/** `marketing-etl <args> --log-format json` in a fresh process; throws with its stderr when it fails. */
export async function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const resultFile = path.join(os.tmpdir(), `mketl-bench-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env, ETL_BENCH_RESULT_FILE: resultFile })) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, [CHILD, ...args, '--log-format', 'json'], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c ?? 1));
  });
  let measured: { seconds: number; cpuSeconds: number; peakRssMb: number };
  try {
    measured = JSON.parse(await fs.readFile(resultFile, 'utf8'));
  } catch {
    throw new Error(`marketing-etl ${args.join(' ')} exited ${code} without a result:\n${stderr.slice(-2000)}`);
  } finally {
    await fs.rm(resultFile, { force: true });
  }
  if (code !== 0) throw new Error(`marketing-etl ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`);
  const logs: Record<string, unknown>[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      logs.push(JSON.parse(line));
    } catch {
      // not a log line
    }
  }
  return { exitCode: code, ...measured, logs, stderr };
}

/** The `seconds` field of the first log line with this message, e.g. 'checks done'. */
export function loggedSeconds(run: CliRun, msg: string): number | undefined {
  const line = run.logs.find((l) => l.msg === msg);
  return typeof line?.seconds === 'number' ? line.seconds : undefined;
}
