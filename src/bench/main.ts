// `npm run bench -- [stage] [--flag value ...]`: runs a stage's measurements, each in fresh child processes, prints
// one line per measurement (wall time, rows/s, MB/s, peak RSS) and merges the results into data/output/bench.json.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHILD_FLAG } from './child.js';
import type { Measurement } from './stage.js';
import { CHILD_MEASURES, STAGES } from './stages.js';

const DEFAULT_OUTPUT = 'data/output/bench.json';

function parseFlags(argv: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (arg.includes('=')) flags[arg.slice(2, arg.indexOf('='))] = arg.slice(arg.indexOf('=') + 1);
    else if (argv[i + 1] === undefined || (argv[i + 1] as string).startsWith('--')) flags[arg.slice(2)] = '';
    else flags[arg.slice(2)] = argv[++i] as string;
  }
  return { positional, flags };
}

function usage(): string {
  const lines = ['usage: npm run bench -- [stage] [--flag value ...] [--output FILE]', '', `stages (default ${STAGES[0]?.name}):`];
  for (const s of STAGES) {
    lines.push(`  ${s.name}: ${s.describe}`);
    for (const [flag, help] of Object.entries(s.flags)) lines.push(`    --${flag}  ${help}`);
  }
  return `${lines.join('\n')}\n`;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function line(m: Measurement): string {
  const extra = Object.fromEntries(Object.entries(m.settings).filter(([k]) => k !== 'part_of' && k !== 'lake'));
  return (
    `${m.label.padEnd(34)} ${fmt(m.seconds, 2).padStart(7)} s ${fmt(m.rowsPerSecond).padStart(11)} rows/s ` +
    `${fmt(m.mbPerSecond).padStart(5)} MB/s  peak RSS ${fmt(m.peakRssMb).padStart(5)} MB` +
    `${m.cpuSeconds > 0 ? `  cpu ${fmt(m.cpuSeconds, 1)} s` : ''}${Object.keys(extra).length ? `  ${JSON.stringify(extra)}` : ''}\n`
  );
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === CHILD_FLAG) {
    const measure = CHILD_MEASURES[argv[1] as keyof typeof CHILD_MEASURES];
    process.stdout.write(JSON.stringify(await measure(JSON.parse(argv[2] as string))));
    return 0;
  }
  const { positional, flags } = parseFlags(argv);
  const stage = positional.length === 0 ? STAGES[0] : STAGES.find((s) => s.name === positional[0]);
  if (!stage || 'help' in flags) {
    process.stderr.write(usage());
    return stage || 'help' in flags ? 0 : 2;
  }
  const load = os.loadavg()[0] as number;
  process.stderr.write(`bench ${stage.name}: ${os.cpus().length} cores, load average ${fmt(load, 2)} at start\n`);
  if (load > os.cpus().length * 0.5) process.stderr.write('warning: the machine is busy; figures will be low\n');
  const results: Measurement[] = [];
  await stage.run(flags, (m) => {
    results.push(m);
    process.stdout.write(line(m));
  });
  const output = path.resolve(flags.output || DEFAULT_OUTPUT);
  let previous: { stages?: Record<string, unknown> } = {};
  try {
    previous = JSON.parse(await fs.readFile(output, 'utf8'));
  } catch {
    // First run, or an unreadable file: start afresh.
  }
  const loadAtEnd = os.loadavg()[0] as number;
  const report = {
    updated_at: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, load_average_at_start: load },
    stages: {
      ...previous.stages,
      [stage.name]: { measured_at: new Date().toISOString(), flags, load_average_at_start: load, load_average_at_end: loadAtEnd, results },
    },
  };
  await fs.mkdir(path.dirname(output), { recursive: true });
  await fs.writeFile(output, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), output)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
