// JSON, CSV and HTML encodings of KPI tables: exact numbers, formula escaping, HTML escaping, chart shapes.
import { beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/report/csv.js';
import { escapeHtml } from '../../src/report/escape.js';
import { toHtml } from '../../src/report/html.js';
import { jsonValue, stringify, toJson } from '../../src/report/json.js';
import type { KpiTable } from '../../src/report/kpis.js';
import { niceTicks } from '../../src/report/svg.js';
import { parseCsv } from '../helpers/csv.js';
import { kpiTables } from '../helpers/kpi-table.js';

const NAMES = ['=1+1', '+SUM(A1)', '-cmd', '@x', '\tTab', '\rCR', 'plain, with "quotes"', 'multi\nline', '<b>&amp;</b>'];

let kpis: KpiTable[];
const kpi = (name: string) => kpis.find((k) => k.name === name) as KpiTable;

beforeAll(async () => {
  const names = NAMES.map((n) => `'${n.replaceAll("'", "''")}'`).join(', ');
  kpis = await kpiTables({
    campaigns: `select name as campaign_name, -12.5 + i as roi, (i * 1000.25)::decimal(18,2) as cost, nullif(i % 3, 0)::bigint as conversions,
      9007199254740993::hugeint::bigint as big_count from (select unnest([${names}]) as name, generate_subscripts([${names}], 1) as i)`,
    platform_performance: `select p as platform, (i * 1000)::decimal(18,2) as cost, 0.5 * i as roas
      from (select unnest(['A', 'B', 'C']) as p, generate_subscripts(['A', 'B', 'C'], 1) as i)`,
    audience_view_time: `select 'aud ' || i as target_audience, 10.0 - i as avg_video_view_time from range(8) t(i)`,
    daily_trend: `select date '2026-01-01' + i::int as date, 100.0 + i as cost, case when i = 3 then null else 250.0 end as revenue from range(12) t(i)`,
  });
});

describe('CSV', () => {
  it('guards text that a spreadsheet would run as a formula, and only text', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+SUM(A1)')).toBe("'+SUM(A1)");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tTab')).toBe("'\tTab");
    expect(csvCell('\rCR')).toBe(`"'\rCR"`);
    expect(csvCell('safe')).toBe('safe');
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(-3n)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(new Date('2026-01-05T00:00:00Z'))).toBe('2026-01-05');
  });

  it('round-trips through an RFC 4180 reader: quotes, commas, newlines, negative numbers, NULL, big integers', () => {
    const text = toCsv(kpi('campaigns'));
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.replaceAll('\r\n', '\n'));
    expect(header).toEqual(['campaign_name', 'roi', 'cost', 'conversions', 'big_count']);
    expect(rows.map((r) => r[0])).toEqual(NAMES.map((n) => (/^[=+\-@\t\r]/.test(n) ? `'${n}` : n)));
    expect(rows.map((r) => Number(r[1]))).toEqual(kpi('campaigns').rows.map((r) => r.roi));
    expect(rows[0]?.[1]).toBe('-11.5');
    expect(rows[2]?.[3]).toBe('');
    expect(rows[0]?.[4]).toBe('9007199254740993');
  });
});

describe('JSON', () => {
  it('writes numbers as numbers, big integers exactly, NULL and NaN as null, dates as YYYY-MM-DD', () => {
    expect(stringify({ a: 9007199254740993n, b: [1.5, null, 'x'] })).toBe(
      '{\n  "a": 9007199254740993,\n  "b": [\n    1.5,\n    null,\n    "x"\n  ]\n}',
    );
    expect(jsonValue(Number.NaN)).toBeNull();
    expect(jsonValue(new Date('2026-02-03T00:00:00Z'))).toBe('2026-02-03');
    const text = toJson(kpis, new Date('2026-11-29T02:00:00Z'));
    expect(text).toContain('"big_count": 9007199254740993');
    const doc = JSON.parse(text);
    expect(doc.generated_at).toBe('2026-11-29T02:00:00.000Z');
    const campaigns = doc.kpis[0];
    expect(campaigns.columns[1]).toEqual({ name: 'roi', type: expect.stringMatching(/^DECIMAL\(/), format: 'percent' });
    expect(campaigns.rows.map((r: { campaign_name: string }) => r.campaign_name)).toEqual(NAMES);
    expect(campaigns.rows[2].conversions).toBeNull();
    expect(doc.kpis[3].rows[0].date).toBe('2026-01-01');
  });
});

describe('HTML', () => {
  let html: string;
  beforeAll(() => {
    html = toHtml(kpis, new Date('2026-11-29T02:00:00Z'));
  });

  it('escapes every text value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).not.toContain('<b>&amp;</b>');
    expect(html).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;');
  });

  it('draws one bar per platform and measure, one per audience, one point per day and series (NULLs break the line)', () => {
    const count = (re: RegExp) => (html.match(re) ?? []).length;
    expect(count(/<rect class="bar" data-series="spend"/g)).toBe(3);
    expect(count(/<rect class="bar" data-series="roas"/g)).toBe(3);
    expect(count(/<rect class="bar" data-series="view_time"/g)).toBe(8);
    expect(count(/<circle class="point" data-series="spend"/g)).toBe(12);
    expect(count(/<circle class="point" data-series="revenue"/g)).toBe(11);
    const revenue = /<path class="line" data-series="revenue" d="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(revenue.match(/M/g)).toHaveLength(2);
  });

  it('shows a table per KPI with ratios as percentages and needs nothing from the network', () => {
    expect(html.match(/<table[ >]/g)).toHaveLength(4);
    expect(html).toContain('<td class="num neg">-1,150.00%</td>');
    expect(html).toContain(`Content-Security-Policy" content="default-src 'none'`);
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('leaves out the charts whose KPI is missing', () => {
    const only = toHtml([kpi('campaigns')], new Date());
    expect(only).not.toContain('<svg');
    expect(only).toContain('<table>');
  });

  it('picks round axis ticks', () => {
    expect(niceTicks(0, 2667564)).toEqual([0, 1000000, 2000000, 3000000]);
    expect(niceTicks(0, 2667564, 8)).toEqual([0, 500000, 1000000, 1500000, 2000000, 2500000, 3000000]);
    expect(niceTicks(0, 3.12, 4)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(-0.5, 1, 3)).toEqual([-0.5, 0, 0.5, 1]);
  });
});
