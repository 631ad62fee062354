// The HTML report in headless Chromium: renders without errors or network requests, charts have the expected
// bars and points, and a screenshot lands in test-artifacts/. Needs /usr/bin/chromium (Debian package `chromium`).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { buildReportFixture, duck, HOSTILE, parquet, type ReportFixture } from '../helpers/report-fixture.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const installed = fs.existsSync(CHROMIUM);
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

if (!installed && !inCi) {
  console.warn(
    `NOTICE: ${CHROMIUM} not found: the browser test of the HTML report is SKIPPED. Install it: apt-get update && apt-get install -y chromium`,
  );
}

describe.skipIf(!installed && !inCi)('HTML report in headless Chromium', () => {
  let fx: ReportFixture;
  let context: BrowserContext | undefined;
  const errors: string[] = [];
  const requests: string[] = [];
  let url: string;
  let counts: { platforms: number; audiences: number; days: number };

  beforeAll(async () => {
    expect(installed, `${CHROMIUM} is missing; .ci/run installs it with apt-get install -y chromium`).toBe(true);
    fx = await buildReportFixture(tempDir('e2e-browser'));
    const n = async (name: string) =>
      Number((await duck<{ n: number }>(`select count(*) as n from ${parquet(path.join(fx.marts, `${name}.parquet`))}`))[0]?.n);
    counts = { platforms: await n('platform_performance'), audiences: await n('audience_view_time'), days: await n('daily_trend') };
    url = pathToFileURL(path.join(fx.outputDir, 'report.html')).href;
    // launchPersistentContext takes the fresh profile folder (playwright refuses --user-data-dir in args).
    context = await chromium.launchPersistentContext(tempDir('chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    context.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
  });

  const page = () => context?.pages()[0] as NonNullable<ReturnType<BrowserContext['pages']>[0]>;

  it('renders without console errors and requests nothing but the file itself', async () => {
    await page().waitForSelector('#chart-trend');
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await page().title()).toBe('Marketing performance report');
  });

  it('shows each chart as an SVG with one bar per platform and measure, per audience, and one point per day', async () => {
    const p = page();
    expect(await p.locator('svg.chart').count()).toBe(3);
    expect(await p.locator('#chart-platform rect.bar[data-series="spend"]').count()).toBe(counts.platforms);
    expect(await p.locator('#chart-platform rect.bar[data-series="roas"]').count()).toBe(counts.platforms);
    expect(await p.locator('#chart-audience rect.bar').count()).toBe(counts.audiences);
    expect(await p.locator('#chart-trend circle.point[data-series="spend"]').count()).toBe(counts.days);
    expect(await p.locator('#chart-trend circle.point[data-series="revenue"]').count()).toBe(counts.days);
    const box = await p.locator('#chart-trend').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(600);
    const widths = await p
      .locator('#chart-platform rect.bar')
      .evaluateAll((els) => els.map((e) => (e as unknown as { getBBox(): { width: number } }).getBBox().width));
    expect(Math.min(...widths)).toBeGreaterThan(0);
  });

  it('shows the KPI cards and tables, with hostile campaign names as plain text', async () => {
    const p = page();
    expect(await p.locator('.card').count()).toBe(8);
    expect(await p.locator('section.kpi').count()).toBe(6);
    expect(await p.locator('section.kpi tbody tr').count()).toBeGreaterThan(60);
    expect(await p.locator('img').count()).toBe(0);
    await expect.poll(() => p.locator('#kpi-bottom_campaigns_by_roi td', { hasText: HOSTILE.html }).count()).toBe(1);
    expect(await p.locator('#kpi-top_campaigns_by_roi td', { hasText: HOSTILE.formula }).count()).toBe(1);
  });

  it('saves a full-page screenshot to test-artifacts/', async () => {
    const file = path.join(ROOT, 'test-artifacts', 'report.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    await page().screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
  });
});
