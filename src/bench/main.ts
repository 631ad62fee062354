// `npm run bench -- <stage> [--flag value ...]`: runs a stage's measurements, each in a fresh child process, prints
// rows/s, MB/s and peak RSS, and merges the results into data/output/bench.json.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchStage, Measurement, StageArgs } from './stage.js';
import { STAGES } from './stages.js';

const DEFAULT_OUTPUT = 'data/output/bench.json';
const CHILD = '--child';

function parseFlags(argv: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (arg.includes('=')) flags[arg.slice(2, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else flags[arg.slice(2)] = argv[++i] ?? '';
  }
  return { positional, flags };
}

function usage(): string {
  const lines = ['usage: npm run bench -- <stage> [--flag value ...] [--output FILE]', '', 'stages:'];
  for (const s of STAGES) {
    lines.push(`  ${s.name}: ${s.describe}`);
    for (const [flag, help] of Object.entries(s.flags)) lines.push(`    --${flag}  ${help}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs one measurement in a child process, so that its peak RSS is its own. */
async function inChild(stage: BenchStage, params: Record<string, unknown>): Promise<Measurement> {
  const self = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, [self, CHILD, stage.name, JSON.stringify(params)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Measurement;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(argv: string[]): Promise<number> {
  if (argv[0] === CHILD) {
    const stage = STAGES.find((s) => s.name === argv[1]) as BenchStage;
    process.stdout.write(JSON.stringify(await stage.measure(JSON.parse(argv[2] as string))));
    return 0;
  }
  const { positional, flags } = parseFlags(argv);
  const stage = STAGES.find((s) => s.name === positional[0]);
  if (!stage || 'help' in flags) {
    process.stderr.write(usage());
    return stage || 'help' in flags ? 0 : 2;
  }
  const load = os.loadavg()[0] as number;
  process.stderr.write(`bench ${stage.name}: ${os.cpus().length} cores, load average ${fmt(load, 2)} at start\n`);
  if (load > os.cpus().length * 0.5) process.stderr.write('warning: the machine is busy; figures will be low\n');
  const results: Measurement[] = [];
  for (const params of stage.plan(flags as StageArgs)) {
    const m = await inChild(stage, params);
    results.push(m);
    process.stdout.write(
      `${m.label.padEnd(28)} ${fmt(m.seconds, 2).padStart(7)} s ${fmt(m.rowsPerSecond).padStart(11)} rows/s ` +
        `${fmt(m.mbPerSecond).padStart(5)} MB/s  peak RSS ${fmt(m.peakRssMb).padStart(4)} MB  cpu ${fmt(m.cpuSeconds, 1)} s  ${JSON.stringify(m.settings)}\n`,
    );
  }
  if (results.length > 1) {
    const [first, last] = [results[0] as Measurement, results.at(-1) as Measurement];
    process.stdout.write(
      `peak RSS ${fmt(first.peakRssMb)} MB at ${fmt(first.rows)} rows vs ${fmt(last.peakRssMb)} MB at ${fmt(last.rows)} rows ` +
        `(x${fmt(last.peakRssMb / first.peakRssMb, 2)} for x${fmt(last.rows / first.rows, 0)} rows)\n`,
    );
  }
  const output = path.resolve(flags.output ?? DEFAULT_OUTPUT);
  let previous: { stages?: Record<string, unknown> } = {};
  try {
    previous = JSON.parse(await fs.readFile(output, 'utf8'));
  } catch {
    // First run, or an unreadable file: start afresh.
  }
  const report = {
    updated_at: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load_average_at_start: load },
    stages: { ...previous.stages, [stage.name]: { measured_at: new Date().toISOString(), load_average_at_start: load, results } },
  };
  await fs.mkdir(path.dirname(output), { recursive: true });
  await fs.writeFile(output, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), output)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
