import { describe, expect, it } from 'vitest';
import { AUDIENCES, buildCampaigns, CSV_COLUMNS, factLine } from '../../src/generate/model.js';
import { Rng } from '../../src/generate/rng.js';
import { parseCsv } from '../helpers/csv.js';

describe('generator model', () => {
  it('is deterministic for a seed and differs for another', () => {
    const lines = (seed: number) => {
      const rng = new Rng(seed);
      const campaigns = buildCampaigns(seed, 5);
      return Array.from({ length: 50 }, (_, i) => factLine(rng, campaigns, '2026-01-01', i)).join('\n');
    };
    expect(lines(1)).toBe(lines(1));
    expect(lines(1)).not.toBe(lines(2));
  });

  it('makes coherent rows with one natural key each', () => {
    const rng = new Rng(3);
    const campaigns = buildCampaigns(3, 4);
    const n = 4 * AUDIENCES.length * 3;
    const rows = parseCsv(`${Array.from({ length: n }, (_, i) => factLine(rng, campaigns, '2026-01-01', i)).join('\n')}\n`);
    const keys = new Set<string>();
    for (const r of rows) {
      expect(r).toHaveLength(CSV_COLUMNS.length);
      const o = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i] as string]));
      expect(Number(o.clicks)).toBeLessThanOrEqual(Number(o.impressions));
      expect(Number(o.conversions)).toBeLessThanOrEqual(Number(o.clicks));
      expect(Number(o.cost)).toBeCloseTo(Math.round(Number(o.clicks) * Number(o.cpc) * 100) / 100, 2);
      keys.add(`${o.campaign_id}|${o.date}|${o.target_audience}`);
    }
    expect(keys.size).toBe(n);
  });
});
