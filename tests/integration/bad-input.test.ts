// Bad raw input on the local lake (issue 8): each case writes its own fixture into a temp lake and runs the real
// transform. Broken lines are quarantined with file, line and error type; bad values with a reason; bad headers,
// too many broken lines and changed files are reported by name; valid CSV variants load.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, resolveConfig } from '../../src/config.js';
import { type Engine, withEngine } from '../../src/engine/duckdb.js';
import { ConfigError } from '../../src/errors.js';
import { parseRejectRate } from '../../src/pipeline/rejects.js';
import { transformStep } from '../../src/pipeline/steps.js';
import { MAX_LINE_BYTES } from '../../src/sql/raw-input.js';
import { captureLog as capture } from '../helpers/capture-log.js';
import { SQL_DIR } from '../helpers/cli.js';
import { HEADER } from '../helpers/dirty.js';
import { tempDir } from '../helpers/tmp.js';

const RUN_DATE = '2026-06-30';
const opts = (runId: string, extra: { maxRejectRate?: number; fullRefresh?: boolean } = {}) => ({
  runId,
  runDate: RUN_DATE,
  fullRefresh: false,
  ...extra,
});

function setup(label: string): { dir: string; config: Config; put: (key: string, body: string | Buffer) => string } {
  const dir = tempDir(label);
  const config = resolveConfig({
    lake: path.join(dir, 'lake'),
    state: path.join(dir, 'state', 'warehouse.duckdb'),
    outputDir: path.join(dir, 'out'),
    sqlDir: SQL_DIR,
  });
  const put = (key: string, body: string | Buffer): string => {
    const file = path.join(dir, 'lake', ...key.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    return file;
  };
  return { dir, config, put };
}

const q = <T extends Record<string, unknown>>(config: Config, sql: string): Promise<T[]> =>
  withEngine({ path: config.state }, (e: Engine) => e.all<T>(sql));

/** One valid data line of the generator layout; `over` replaces columns by name. */
function line(id: string, over: Record<string, string> = {}): string {
  const row: Record<string, string> = {
    campaign_id: id,
    campaign_name: 'n',
    date: '2026-03-02',
    platform: 'Google Ads',
    target_audience: 'Hombre +46',
    impressions: '500',
    clicks: '5',
    ctr: '0.01',
    cpc: '1.00',
    cost: '5.00',
    conversions: '1',
    revenue: '30.00',
    video_view_time: '7.5',
    ...over,
  };
  return HEADER.split(',')
    .map((c) => row[c])
    .join(',');
}
const goodLines = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => line(`${prefix}${i}`));

async function nothingLoaded(config: Config): Promise<void> {
  expect(await q(config, 'select count(*)::int as n from etl_manifest')).toEqual([{ n: 0 }]);
  expect(await q(config, 'select count(*)::int as n from quarantine')).toEqual([{ n: 0 }]);
  const master = await q<{ n: number }>(config, "select count(*)::int as n from duckdb_tables() where table_name = 'campaign_daily'");
  if (master[0]?.n) expect(await q(config, 'select count(*)::int as n from campaign_daily')).toEqual([{ n: 0 }]);
}

describe('lines with broken CSV structure', () => {
  it('quarantines ragged, short, badly quoted, non-UTF-8 and over-long lines with file, line and error type; loads the rest; reports the count', async () => {
    const { config, put } = setup('bad-lines');
    const key = 'raw/ads/x/broken.csv';
    const lines = [
      HEADER,
      ...goodLines('A', 30),
      `${line('R1')},extra`, // line 32: one field too many
      'R2,n,2026-03-02,Google Ads', // line 33: fields missing
      ...goodLines('B', 10),
      line('R3', { campaign_name: '"ab"c' }), // line 44: text after a closing quote
      ...goodLines('C', 10),
      line('R4', { campaign_name: 'cafBADBYTE' }), // line 55: a lone 0xFF byte, invalid UTF-8
      ...goodLines('D', 10),
      line('R5', { campaign_name: 'x'.repeat(MAX_LINE_BYTES + 10) }), // line 66: longer than the limit
      ...goodLines('E', 10),
    ];
    const [head, tail] = `${lines.join('\n')}\n`.split('BADBYTE') as [string, string];
    put(key, Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(tail)]));

    const { log, lines: logLines } = capture();
    const r = await transformStep(config, opts('bad-lines'), log);
    expect(r.rejectedLines).toBe(5);
    expect(r.rawRows).toBe(lines.length - 1);
    expect(r.masterRows).toBe(70);
    const rows = await q<{ raw_file: string; line_number: number; reason: string; detail: string }>(
      config,
      'select raw_file, line_number, reason, detail from quarantine order by line_number',
    );
    expect(rows.map((x) => [x.raw_file, x.line_number, x.reason])).toEqual([
      [key, 32, 'malformed_csv'],
      [key, 33, 'malformed_csv'],
      [key, 44, 'malformed_csv'],
      [key, 55, 'malformed_csv'],
      [key, 66, 'malformed_csv'],
    ]);
    expect(rows.map((x) => x.detail.split(':')[0])).toEqual([
      'TOO MANY COLUMNS',
      'MISSING COLUMNS',
      'UNQUOTED VALUE',
      'INVALID ENCODING',
      'LINE SIZE OVER MAXIMUM',
    ]);
    // The lines around each broken one load with their own line numbers.
    const master = await q<{ n: number }>(config, "select count(*)::int as n from campaign_daily where campaign_id like 'R%'");
    expect(master).toEqual([{ n: 0 }]);
    expect(logLines).toContainEqual(expect.stringMatching(/raw lines rejected .*key=raw\/ads\/x\/broken\.csv rejected=5 lines=75/));
    expect(logLines).toContainEqual(expect.stringMatching(/raw lines rejected in total .*rejected=5 files=1/));
    expect(logLines).toContainEqual(expect.stringMatching(/transform done .*rejected_lines=5/));
  });

  it('fails the run naming the file when its share of broken lines is above --max-reject-rate, loading nothing', async () => {
    const { config, put } = setup('reject-rate');
    put('raw/ads/x/fine.csv', `${[HEADER, ...goodLines('F', 20)].join('\n')}\n`);
    // 3 broken lines of 20: 15%, above the default 10%.
    put('raw/ads/x/worse.csv', `${[HEADER, ...goodLines('W', 17), 'a,b', 'c,d', 'e,f'].join('\n')}\n`);
    const { log } = capture();
    await expect(transformStep(config, opts('rate'), log)).rejects.toThrow(
      /too many malformed lines, above --max-reject-rate 10%: raw\/ads\/x\/worse\.csv \(3 of 20 lines, 15%\)$/,
    );
    await nothingLoaded(config);
    // A looser limit lets the same files load.
    const r = await transformStep(config, opts('rate-2', { maxRejectRate: parseRejectRate('20%') }), log);
    expect(r.newFiles).toBe(2);
    expect(r.rejectedLines).toBe(3);
    expect(r.masterRows).toBe(37);
  });

  it('reads --max-reject-rate as a fraction or a percentage', () => {
    expect(parseRejectRate(undefined)).toBe(0.1);
    expect(parseRejectRate('10%')).toBe(0.1);
    expect(parseRejectRate('2.5 %')).toBe(0.025);
    expect(parseRejectRate('0.1')).toBe(0.1);
    expect(parseRejectRate(0)).toBe(0);
    expect(parseRejectRate('100%')).toBe(1);
    for (const bad of ['abc', '150%', '-0.1', '1.5', '%']) expect(() => parseRejectRate(bad)).toThrow(ConfigError);
  });
});

describe('what DuckDB does not catch by itself', () => {
  it('fails on a wrong header, a missing header and an unexpected extra column, naming each file and the difference', async () => {
    const { config, put } = setup('headers');
    put('raw/ads/h/good.csv', `${HEADER}\n${line('G1')}\n`);
    put('raw/ads/h/renamed.csv', `${HEADER.replace('revenue', 'revenues')}\n${line('G2')}\n`);
    put('raw/ads/h/headless.csv', `${line('G3')}\n${line('G4')}\n`);
    put('raw/ads/h/extra.csv', `${HEADER},notes\n${line('G5')},hi\n`);
    const { log } = capture();
    const error = await transformStep(config, opts('headers'), log).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(
      /raw\/ads\/h\/renamed\.csv: header matches no known layout, closest to the generator layout \(ads\): missing revenue; unexpected revenues/,
    );
    expect(message).toMatch(/raw\/ads\/h\/headless\.csv: header matches no known layout, no header line/);
    expect(message).toMatch(
      /raw\/ads\/h\/extra\.csv: header matches no known layout, closest to the generator layout \(ads\): unexpected notes/,
    );
    expect(message).not.toMatch(/good\.csv/);
    await nothingLoaded(config);
  });

  it('never marks a zero-byte file processed, logs it, and loads it once it has content', async () => {
    const { config, put } = setup('empty');
    put('raw/ads/e/empty.csv', '');
    put('raw/ads/e/good.csv', `${HEADER}\n${line('G1')}\n`);
    const { log, lines } = capture();
    const r = await transformStep(config, opts('empty-1'), log);
    expect(r.skippedEmpty).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/WARN skipping empty raw file .*key=raw\/ads\/e\/empty\.csv/));
    expect(await q(config, 'select key from etl_manifest')).toEqual([{ key: 'raw/ads/e/good.csv' }]);
    put('raw/ads/e/empty.csv', `${HEADER}\n${line('E1')}\n`);
    const again = await transformStep(config, opts('empty-2'), log);
    expect(again.newFiles).toBe(1);
    expect(again.masterRows).toBe(2);
  });

  it('quarantines NaN, Infinity and numbers too big for BIGINT counts or DECIMAL money with a reason; the master has no DOUBLE metrics', async () => {
    const { config, put } = setup('numbers');
    const cases: [string, Record<string, string>, string][] = [
      ['N1', { impressions: 'NaN' }, 'not_a_number'],
      ['N2', { clicks: 'inf' }, 'not_a_number'],
      ['N3', { cost: '1e400' }, 'not_a_number'],
      ['N4', { revenue: 'Infinity' }, 'not_a_number'],
      ['N5', { cost: '-inf' }, 'not_a_number'],
      ['N6', { impressions: '99999999999999999999999' }, 'number_out_of_range'],
      ['N7', { revenue: '99999999999999999999999' }, 'number_out_of_range'],
      ['N8', { conversions: '9223372036854775808' }, 'number_out_of_range'],
      ['N9', { cost: '1234567890123456.00' }, 'number_out_of_range'],
    ];
    put('raw/ads/n/numbers.csv', `${[HEADER, ...goodLines('OK', 40), ...cases.map(([id, over]) => line(id, over))].join('\n')}\n`);
    const { log } = capture();
    const r = await transformStep(config, opts('numbers'), log);
    expect(r.masterRows).toBe(40);
    const rows = await q<{ campaign_id: string; reason: string }>(
      config,
      'select campaign_id, reason from quarantine order by campaign_id',
    );
    expect(rows.map((x) => [x.campaign_id, x.reason])).toEqual(cases.map(([id, , reason]) => [id, reason]));
    const types = await q<{ column_name: string; data_type: string }>(
      config,
      "select column_name, data_type from duckdb_columns() where table_name = 'campaign_daily' and column_name in ('impressions', 'clicks', 'conversions', 'cost', 'revenue') order by column_name",
    );
    expect(types.map((t) => `${t.column_name} ${t.data_type}`)).toEqual([
      'clicks BIGINT',
      'conversions BIGINT',
      'cost DECIMAL(18,2)',
      'impressions BIGINT',
      'revenue DECIMAL(18,2)',
    ]);
  });

  it('quarantines impossible dates and dates outside 2000-01-01 .. the run date with a reason', async () => {
    const { config, put } = setup('dates');
    const cases: [string, string, string][] = [
      ['D1', '2026-02-30', 'bad_date'],
      ['D2', '2026-13-01', 'bad_date'],
      ['D3', '2026-3-2', 'bad_date'],
      ['D4', '1999-12-31', 'date_out_of_range'],
      ['D5', '2026-07-01', 'date_out_of_range'],
    ];
    const ok = ['2000-01-01', RUN_DATE, '2024-02-29'].map((d, i) => line(`OK${i}`, { date: d }));
    put('raw/ads/d/dates.csv', `${[HEADER, ...ok, ...goodLines('M', 30), ...cases.map(([id, date]) => line(id, { date }))].join('\n')}\n`);
    const r = await transformStep(config, opts('dates'), capture().log);
    expect(r.masterRows).toBe(33);
    const rows = await q<{ campaign_id: string; date: string; reason: string }>(
      config,
      'select campaign_id, date, reason from quarantine order by campaign_id',
    );
    expect(rows).toEqual(cases.map(([campaign_id, date, reason]) => ({ campaign_id, date, reason })));
  });
});

describe('valid CSV variants', () => {
  it('loads CRLF line endings, a UTF-8 BOM and newlines inside quoted fields, with the right line numbers', async () => {
    const { config, put } = setup('variants');
    // BOM + CRLF: a bad value on line 4 and a broken line on line 6 keep their numbers, and so do the lines after.
    const crlf = [
      HEADER,
      line('C1'),
      line('C2'),
      line('C3', { impressions: 'n/a' }),
      line('C4'),
      'C5,too,few',
      ...goodLines('L', 10),
      line('C6', { clicks: 'x' }),
    ].join('\r\n');
    put('raw/ads/v/crlf-bom.csv', `\uFEFF${crlf}\r\n`);
    // A quoted field over two lines (LF and CRLF inside the quotes) loads with the newline kept.
    put(
      'raw/ads/v/multiline.csv',
      `${HEADER}\n${line('M1', { campaign_name: '"Spring\nsale"' })}\n${line('M2', { campaign_name: '"two\r\nlines, one field"' })}\n`,
    );
    const r = await transformStep(config, opts('variants'), capture().log);
    expect(r.masterRows).toBe(15);
    const names = await q(
      config,
      "select campaign_id, campaign_name, video_view_time from campaign_daily where campaign_id like 'M%' order by 1",
    );
    expect(names).toEqual([
      { campaign_id: 'M1', campaign_name: 'Spring\nsale', video_view_time: 7.5 },
      { campaign_id: 'M2', campaign_name: 'two\r\nlines, one field', video_view_time: 7.5 },
    ]);
    // The first column after the BOM and the last before CR are clean values.
    expect(await q(config, "select campaign_id, video_view_time from campaign_daily where campaign_id = 'C1'")).toEqual([
      { campaign_id: 'C1', video_view_time: 7.5 },
    ]);
    expect(await q(config, 'select raw_file, line_number, reason from quarantine order by line_number')).toEqual([
      { raw_file: 'raw/ads/v/crlf-bom.csv', line_number: 4, reason: 'not_a_number' },
      { raw_file: 'raw/ads/v/crlf-bom.csv', line_number: 6, reason: 'malformed_csv' },
      { raw_file: 'raw/ads/v/crlf-bom.csv', line_number: 17, reason: 'not_a_number' },
    ]);
  });
});

describe('a raw file that reappears under the same key', () => {
  it('reports changed content by key and does not load it again; the same content again is skipped silently', async () => {
    const { config, put } = setup('changed');
    const key = 'raw/ads/c/part-00001.csv';
    const original = `${HEADER}\n${line('K1')}\n${line('K2')}\n`;
    const file = put(key, original);
    // A folder's ETag is size + mtime: pin the mtime to a whole second so that it can be restored exactly below.
    const mtime = new Date('2026-06-01T00:00:00Z');
    fs.utimesSync(file, mtime, mtime);
    await transformStep(config, opts('changed-1'), capture().log);
    const before = await q(config, 'select * exclude (run_id) from campaign_daily order by campaign_id');
    const manifest = await q(config, 'select key, size, etag, run_id from etl_manifest');

    put(key, `${HEADER}\n${line('K1', { impressions: '900' })}\n${line('K3')}\n`);
    const { log, lines } = capture();
    const r = await transformStep(config, opts('changed-2'), log);
    expect(r.changedFiles).toBe(1);
    expect(r.newFiles).toBe(0);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`WARN raw file changed since it was loaded; not loaded again .*key=${key.replaceAll('/', '\\/')} size=`),
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/transform done .*changed_files=1/));
    expect(await q(config, 'select * exclude (run_id) from campaign_daily order by campaign_id')).toEqual(before);
    expect(await q(config, 'select key, size, etag, run_id from etl_manifest')).toEqual(manifest);

    // The original bytes back, with their mtime (part of a folder's ETag): nothing to say.
    put(key, original);
    fs.utimesSync(file, mtime, mtime);
    const { log: quiet, lines: quietLines } = capture();
    const same = await transformStep(config, opts('changed-3'), quiet);
    expect(same.changedFiles).toBe(0);
    expect(quietLines.filter((l) => l.startsWith('WARN'))).toEqual([]);
    expect(await q(config, 'select * exclude (run_id) from campaign_daily order by campaign_id')).toEqual(before);
  });
});
