// What a benchmark stage is: it plans measurements in the parent, and runs each one in a fresh child process.

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
  /** Stage-specific settings of the run (threads, batch size, ...). */
  settings: Record<string, unknown>;
}

/** Parsed flags: `--name value` pairs as strings. */
export type StageArgs = Readonly<Record<string, string | undefined>>;

export interface BenchStage {
  readonly name: string;
  readonly describe: string;
  /** Flags the stage accepts, with their help text. */
  readonly flags: Readonly<Record<string, string>>;
  /** In the parent: the runs to measure, each a JSON-safe parameter object. */
  plan(args: StageArgs): Record<string, unknown>[];
  /** In a fresh child process: performs one run and measures it. */
  measure(params: Record<string, unknown>): Promise<Measurement>;
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
