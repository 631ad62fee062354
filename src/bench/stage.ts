// What a benchmark stage is: it runs its measurements (each in a fresh child process) and hands each one over.

/** One measured run; peak RSS is the child process's own, so runs never inflate each other's figure. */
export interface Measurement {
  label: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  /** User + system CPU seconds, all threads: compared with `seconds` it shows how busy the cores were. */
  cpuSeconds: number;
  /** Stage-specific settings of the run (threads, batch size, lake, ...). */
  settings: Record<string, unknown>;
}

/** Parsed flags: `--name value` pairs as strings. */
export type StageArgs = Readonly<Record<string, string | undefined>>;

export interface BenchStage {
  readonly name: string;
  readonly describe: string;
  /** Flags the stage accepts, with their help text. */
  readonly flags: Readonly<Record<string, string>>;
  /** In the parent: performs the stage's runs, in fresh child processes, and passes each measurement to `emit`. */
  run(args: StageArgs, emit: (m: Measurement) => void): Promise<void>;
}

/** A measurement from a run's totals. */
export function measurement(
  label: string,
  run: { rows: number; bytes: number; seconds: number; peakRssMb: number; cpuSeconds: number },
  settings: Record<string, unknown> = {},
): Measurement {
  return {
    label,
    rows: run.rows,
    bytes: run.bytes,
    seconds: run.seconds,
    rowsPerSecond: run.seconds > 0 ? run.rows / run.seconds : 0,
    mbPerSecond: run.seconds > 0 ? run.bytes / 1e6 / run.seconds : 0,
    peakRssMb: run.peakRssMb,
    cpuSeconds: run.cpuSeconds,
    settings,
  };
}

/** Wall time, CPU and peak RSS around `fn`, for a child process that does nothing else. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number; peakRssMb: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    value,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    // maxRSS is in KiB and covers the whole process, worker threads included.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** Comma-separated numbers (`1000000,10000000`); `_` and `k`/`m` suffixes allowed (`1m`, `500k`). */
export function parseCounts(value: string | undefined, fallback: readonly number[]): number[] {
  if (value === undefined || value === '') return [...fallback];
  return value.split(',').map((part) => {
    const m = /^\s*([0-9_.]+)\s*([kKmM]?)\s*$/.exec(part);
    const n = m ? Number((m[1] as string).replaceAll('_', '')) * ({ k: 1e3, m: 1e6 }[(m[2] as string).toLowerCase()] ?? 1) : Number.NaN;
    if (!Number.isFinite(n) || n <= 0) throw new Error(`not a row count: "${part}"`);
    return Math.round(n);
  });
}

/** Comma-separated names, each one of `allowed`. */
export function parseNames<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (value === undefined || value === '') return [...fallback];
  return value.split(',').map((v) => {
    const name = v.trim() as T;
    if (!allowed.includes(name)) throw new Error(`--${flag}: "${v}" is not one of ${allowed.join(', ')}`);
    return name;
  });
}
