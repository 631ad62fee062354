// Console tables fit the width they are given, whatever the shape of the KPI, and lose no number.
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderKpiTable, renderKpiTables, terminalWidth, useColor } from '../../src/cli/render.js';
import { formatCell } from '../../src/report/format.js';
import type { KpiTable } from '../../src/report/kpis.js';
import { kpiTables } from '../helpers/kpi-table.js';

const PLATFORM = `select 'Platform ' || i as platform, (i * 12345678)::bigint as impressions, (i * 234567)::bigint as clicks,
  (i * 1234567.89)::decimal(18,2) as cost, (i * 4567)::bigint as conversions, (i * 3456789.01)::decimal(18,2) as revenue,
  0.0123 * i as ctr, 1.23 * i as cpc, 12.3 * i as cpm, 0.045 * i as cvr, 23.4 * i as cpa, 2.5 * i as roas, 1.5 * i - 1 as roi
  from range(1, 5) t(i)`;
const OVERVIEW = `select date '2026-01-01' as first_date, date '2026-03-31' as last_date, 90::bigint as days, 28::bigint as campaigns,
  273117503::bigint as impressions, 4501921::bigint as clicks, 4053918.21::decimal(18,2) as cost, 182094::bigint as conversions,
  11570523.47::decimal(18,2) as revenue, 0.0165 as ctr, 0.9 as cpc, 14.84 as cpm, 0.0404 as cvr, 22.26 as cpa, 2.85 as roas, 1.85 as roi`;
const CAMPAIGNS = `select i::bigint as position, 'Campaign ' || i || ' of the ' || repeat('very long ', 4) || 'kind' as campaign_name,
  'Facebook Ads' as platform, (i * 98765.43)::decimal(18,2) as cost, (i * 198765.43)::decimal(18,2) as revenue, 1.0 / i - 0.5 as roi
  from range(1, 11) t(i)`;
const DAILY = `select date '2026-01-01' + i::int as date, (3000000 + i)::bigint as impressions, (50000 + i)::bigint as clicks,
  (1012345.67 + i)::decimal(18,2) as cost, (2000 + i)::bigint as conversions, (1123456.78 + i)::decimal(18,2) as revenue,
  0.0166 as ctr, case when i % 7 = 0 then null else 22.5 end as cpa, 2.9 as roas from range(90) t(i)`;
const HUGE_TEXT = `select repeat('x', 300) as note, ${Array.from({ length: 12 }, (_, i) => `${i + 1} * 1000.5 as cost_${i}`).join(', ')}`;

let kpis: KpiTable[];
const kpi = (name: string) => kpis.find((k) => k.name === name) as KpiTable;

beforeAll(async () => {
  kpis = await kpiTables({ platform: PLATFORM, overview: OVERVIEW, campaigns: CAMPAIGNS, daily: DAILY, huge_text: HUGE_TEXT });
});

const widest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('console tables', () => {
  for (const width of [40, 60, 80, 100, 132]) {
    it(`fit ${width} columns and keep every number`, () => {
      for (const k of kpis) {
        const text = renderKpiTable(k, { color: false, width });
        expect(widest(text), `${k.name} at ${width}`).toBeLessThanOrEqual(width);
        for (const row of k.rows) {
          k.columns.forEach((c, i) => {
            if (k.kinds[i] !== 'text') expect(text, `${k.name}.${c}`).toContain(formatCell(row[c], k.kinds[i] ?? 'text'));
          });
        }
      }
    });
  }

  it('transposes short wide tables: metrics as rows, one column per platform', () => {
    const text = renderKpiTable(kpi('platform'), { color: false, width: 80 });
    const header = text.split('\n').find((l) => l.includes('Platform 1')) ?? '';
    expect(header).toContain('Platform 4');
    expect(text.split('\n').find((l) => l.includes(' ROAS '))).toContain('10.00x');
    const overview = renderKpiTable(kpi('overview'), { color: false, width: 80 });
    expect(overview).toMatch(/│ Cost +│ +4,053,918\.21 │/);
    expect(overview).toMatch(/│ ROI +│ +185\.00% │/);
  });

  it('wraps long names rather than splitting a table that nearly fits', () => {
    const text = renderKpiTable(kpi('campaigns'), { color: false, width: 80 });
    expect(text).not.toMatch(/\(1\/2\)/);
    expect(text).toContain('Campaign 10 of');
  });

  it('splits long wide tables into parts that repeat the key column', () => {
    const text = renderKpiTable(kpi('daily'), { color: false, width: 80 });
    expect(text).toContain('daily (1/2)');
    expect(text).toContain('daily (2/2)');
    expect(text.split('\n').filter((l) => l.includes('2026-03-31'))).toHaveLength(2);
    expect(text).toMatch(/│ +- │/);
  });

  it('shows a full table unchanged when it fits, with right-aligned numbers', () => {
    const text = renderKpiTable(kpi('platform'), { color: false, width: 400 });
    expect(text.split('\n').filter((l) => /Platform \d/.test(l)).length).toBe(4);
    expect(text).toMatch(/│ +1\.23% │/);
  });

  it('colours only when asked, and colour never counts toward the width', () => {
    const plain = renderKpiTables(kpis, { color: false, width: 80 });
    const colored = renderKpiTables(kpis, { color: true, width: 80 });
    expect(plain).not.toContain('\u001b[');
    expect(colored).toContain('\u001b[');
    expect(widest(stripVTControlCharacters(colored))).toBeLessThanOrEqual(80);
  });

  it('uses colour only on a TTY without NO_COLOR, and the TTY width or 80', () => {
    const tty = { isTTY: true, columns: 120 } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(pipe, {})).toBe(false);
    expect(terminalWidth(tty)).toBe(120);
    expect(terminalWidth(pipe)).toBe(80);
  });
});
