// Dirt on request: the test classifies every row of the files on its own and must find exactly the manifest's counts.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GenerateOptions, generate } from '../../src/generate/generate.js';
import { LocalLake } from '../../src/lake/local.js';
import { createLogger } from '../../src/log.js';
import { parseCsv } from '../helpers/csv.js';
import { tempDir } from '../helpers/tmp.js';

const log = createLogger({ level: 'silent', format: 'json' });
const PLATFORMS = new Set(['Facebook Ads', 'Google Ads', 'TikTok Ads', 'LinkedIn Ads']);
const SPELLINGS = new Set(['facebook ads', 'fb ads', 'google ads', 'tiktok', 'tiktok ads', 'linkedin ads']);
const AUDIENCES = new Set([
  'Mujer 18-25',
  'Mujer 26-35',
  'Mujer 36-45',
  'Mujer +46',
  'Hombre 18-25',
  'Hombre 26-35',
  'Hombre 36-45',
  'Hombre +46',
]);
const NUMERIC = ['impressions', 'clicks', 'cost', 'conversions', 'revenue'] as const;
const options: GenerateOptions = {
  rows: 30_000,
  batchRows: 3_000,
  from: '2026-01-01',
  to: '2026-01-20',
  seed: 11,
  dirtyRate: 0.2,
  runId: 'dirty',
};

interface Line {
  file: number;
  text: string;
  row: Record<string, string>;
}

async function linesOf(opts: GenerateOptions): Promise<{ lines: Line[]; manifest: Record<string, unknown>; names: string[] }> {
  const root = tempDir('dirt');
  await generate(opts, new LocalLake(root), log);
  const dir = path.join(root, 'raw/ads', `run=${opts.runId}`);
  const names = fs.readdirSync(dir).sort();
  const lines: Line[] = [];
  names
    .filter((n) => n.endsWith('.csv'))
    .forEach((name, file) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const [header, ...rows] = parseCsv(text);
      const raw = text.trimEnd().split('\n').slice(1);
      expect(raw).toHaveLength(rows.length);
      rows.forEach((r, i) => {
        lines.push({ file, text: raw[i] as string, row: Object.fromEntries((header ?? []).map((h, k) => [h, r[k] as string])) });
      });
    });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '_manifest.json'), 'utf8'));
  return { lines, manifest, names };
}

/** The kinds of dirt a row shows, judged from its text alone. */
function kindsOf(row: Record<string, string>): string[] {
  const kinds: string[] = [];
  const platform = row.platform as string;
  if (!PLATFORMS.has(platform)) {
    expect(SPELLINGS.has(platform.trim().replace(/\s+/g, ' ').toLowerCase())).toBe(true);
    kinds.push('platform_spelling');
  }
  for (const field of NUMERIC) {
    const v = row[field] as string;
    if (v === '') kinds.push('empty_numeric');
    else if (v === 'n/a') kinds.push('not_a_number');
    else if (v.includes(',')) {
      expect(v).toMatch(/^\d{1,3}(,\d{3})+(\.\d{2})?$/);
      kinds.push('formatted_number');
    }
  }
  const num = (f: string) => Number((row[f] as string).replaceAll(',', ''));
  if (num('cost') < 0) kinds.push('negative_cost');
  if (row.clicks !== '' && row.impressions !== '' && num('clicks') > num('impressions')) kinds.push('clicks_above_impressions');
  return kinds;
}

describe('generate --dirty-rate', () => {
  let dirty: Awaited<ReturnType<typeof linesOf>>;
  let clean: Awaited<ReturnType<typeof linesOf>>;
  const counts: Record<string, number> = {};

  beforeAll(async () => {
    dirty = await linesOf(options);
    clean = await linesOf({ ...options, dirtyRate: 0, runId: 'clean' });
    const seen = new Map<string, Line>();
    const bump = (k: string) => {
      counts[k] = (counts[k] ?? 0) + 1;
    };
    for (const line of dirty.lines) {
      const earlier = seen.get(line.text);
      if (earlier) {
        expect(earlier.file).toBeLessThan(line.file);
        expect(kindsOf(earlier.row)).toEqual([]);
        bump('duplicate_row');
        continue;
      }
      seen.set(line.text, line);
      const kinds = kindsOf(line.row);
      expect(kinds.length).toBeLessThanOrEqual(1);
      if (kinds[0]) bump(kinds[0]);
    }
  });

  it('writes the manifest of the contract, with the counts a reader finds in the files', () => {
    expect(dirty.names).toContain('_manifest.json');
    expect(Object.keys(dirty.manifest)).toEqual(['run_id', 'seed', 'rows_written', 'files', 'dirt']);
    expect(dirty.manifest).toMatchObject({ run_id: 'dirty', seed: 11, rows_written: 30_000, files: 10 });
    const dirt = dirty.manifest.dirt as Record<string, number>;
    expect(Object.keys(dirt)).toEqual([
      'duplicate_row',
      'platform_spelling',
      'formatted_number',
      'empty_numeric',
      'not_a_number',
      'negative_cost',
      'clicks_above_impressions',
    ]);
    for (const [kind, n] of Object.entries(dirt)) {
      expect(n, kind).toBeGreaterThan(0);
      expect(counts[kind] ?? 0, kind).toBe(n);
    }
    expect(dirty.lines).toHaveLength(30_000);
  });

  it('corrupts about --dirty-rate of the rows', () => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total / 30_000).toBeGreaterThan(0.18);
    expect(total / 30_000).toBeLessThan(0.22);
  });

  it('never touches the key columns, and keeps natural keys distinct apart from duplicates', () => {
    const keys = new Set<string>();
    const texts = new Set<string>();
    const badKeys = dirty.lines.filter(
      ({ row }) =>
        !/^CMP-\d{5,}$/.test(row.campaign_id as string) ||
        !/^2026-01-(0[1-9]|1\d|20)$/.test(row.date as string) ||
        !AUDIENCES.has(row.target_audience as string),
    );
    expect(badKeys).toEqual([]);
    for (const { row, text } of dirty.lines) {
      if (texts.has(text)) continue;
      texts.add(text);
      keys.add(`${row.campaign_id}|${row.date}|${row.target_audience}`);
    }
    expect(keys.size).toBe(texts.size);
  });

  it('leaves the clean rows byte-identical to a run without dirt', () => {
    let same = 0;
    dirty.lines.forEach((line, i) => {
      if (kindsOf(line.row).length === 0 && line.text !== clean.lines[i]?.text) {
        // A clean-looking line that differs must be a re-sent duplicate of an earlier clean line.
        expect(clean.lines.slice(0, i).some((c) => c.text === line.text)).toBe(true);
      } else if (kindsOf(line.row).length === 0) same++;
    });
    expect(same).toBeGreaterThan(30_000 * 0.75);
    expect(clean.manifest.dirt).toEqual({
      duplicate_row: 0,
      platform_spelling: 0,
      formatted_number: 0,
      empty_numeric: 0,
      not_a_number: 0,
      negative_cost: 0,
      clicks_above_impressions: 0,
    });
  });
});
