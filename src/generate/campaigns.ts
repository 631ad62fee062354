// The campaign dimension: names from seeded Faker pools, and platform, objective, budget and active dates from the fast RNG.
import { csvField } from './csv.js';
import { AUDIENCES, OBJECTIVES, PLATFORMS, THEMES } from './lists.js';
import { Rng, streamKey } from './rng.js';

/** Streams of the seed: each kind of draw has its own, so changing one never shifts another. */
export const STREAM = { pools: 1, campaign: 2, facts: 3, dirt: 4, day: 5 } as const;

/** Share of campaigns that run on every day of the range; the others run for a random window. */
const EVERGREEN = 0.3;
/** The shortest window, as a fraction of the range. */
const MIN_WINDOW = 0.2;
/** Daily budgets are log-uniform between these (currency units). */
const BUDGET_MIN = 30;
const BUDGET_MAX = 2500;

/**
 * Campaigns as columns (typed arrays and string arrays), so that the table is small, fast to scan and can be
 * copied to another thread cheaply. Index `c` is campaign `c`; days are offsets from the first date.
 */
export interface CampaignTable {
  readonly count: number;
  readonly ids: string[];
  readonly names: string[];
  /** `campaign_id,campaign_name,` already CSV-encoded: the start of every line of the campaign. */
  readonly prefixes: string[];
  readonly platform: Uint8Array;
  readonly objective: Uint8Array;
  readonly dailyBudgetCents: Float64Array;
  /** A campaign's creative quality: scales its click-through and conversion rates. */
  readonly quality: Float64Array;
  /** First and last active day, inclusive. */
  readonly firstDay: Int32Array;
  readonly lastDay: Int32Array;
  /** `share[c * AUDIENCES.length + a]`: part of the daily budget meant for audience `a`; sums to 1 per campaign. */
  readonly share: Float64Array;
}

/** Brand and product names from Faker, built once per seed: Faker costs microseconds per call, so never per row. */
export async function buildPools(seed: number): Promise<{ brands: string[]; products: string[] }> {
  const { faker } = await import('@faker-js/faker/locale/en');
  faker.seed(streamKey(seed, STREAM.pools));
  const brands = Array.from({ length: 250 }, () => faker.company.name());
  const products = Array.from({ length: 150 }, () => faker.commerce.productName());
  return { brands, products };
}

/** The active window of campaign `c` over `days` days; it depends only on (seed, c, days). */
export function campaignWindow(seed: number, c: number, days: number): [number, number] {
  const rng = new Rng(streamKey(seed, STREAM.campaign), c);
  if (rng.next() < EVERGREEN) return [0, days - 1];
  const length = rng.int(Math.max(1, Math.ceil(days * MIN_WINDOW)), days);
  const first = rng.int(0, days - length);
  return [first, first + length - 1];
}

/** The fewest (campaign, audience) slots that any day offers with `count` campaigns. */
export function minDailySlots(seed: number, count: number, days: number): { slots: number; day: number } {
  const delta = new Int32Array(days + 1);
  for (let c = 0; c < count; c++) {
    const [first, last] = campaignWindow(seed, c, days);
    delta[first] = (delta[first] as number) + 1;
    delta[last + 1] = (delta[last + 1] as number) - 1;
  }
  let active = 0;
  let best = { slots: Number.POSITIVE_INFINITY, day: 0 };
  for (let d = 0; d < days; d++) {
    active += delta[d] as number;
    if (active * AUDIENCES.length < best.slots) best = { slots: active * AUDIENCES.length, day: d };
  }
  return best;
}

/** The smallest campaign count (grown in steps of about 10%) whose every day offers at least `perDay` slots. */
export function campaignsNeeded(seed: number, days: number, perDay: number, limit: number): number {
  let count = Math.max(1, Math.ceil(perDay / AUDIENCES.length / 0.5));
  while (count < limit && minDailySlots(seed, count, days).slots < perDay) count = Math.min(limit, Math.ceil(count * 1.1) + 1);
  return count;
}

function pickPlatform(rng: Rng): number {
  const total = PLATFORMS.reduce((sum, p) => sum + p.share, 0);
  let x = rng.next() * total;
  for (let p = 0; p < PLATFORMS.length; p++) {
    x -= (PLATFORMS[p] as (typeof PLATFORMS)[number]).share;
    if (x < 0) return p;
  }
  return PLATFORMS.length - 1;
}

/** Builds `count` campaigns over `days` days, deterministically from `seed`. */
export async function buildCampaigns(seed: number, count: number, days: number): Promise<CampaignTable> {
  const { brands, products } = await buildPools(seed);
  const audiences = AUDIENCES.length;
  const table: CampaignTable = {
    count,
    ids: [],
    names: [],
    prefixes: [],
    platform: new Uint8Array(count),
    objective: new Uint8Array(count),
    dailyBudgetCents: new Float64Array(count),
    quality: new Float64Array(count),
    firstDay: new Int32Array(count),
    lastDay: new Int32Array(count),
    share: new Float64Array(count * audiences),
  };
  // A second stream for attributes, so that the windows (above) stay cheap to recompute alone.
  const rng = new Rng();
  const key = streamKey(seed, STREAM.campaign + 100);
  const width = Math.max(5, String(count).length);
  for (let c = 0; c < count; c++) {
    rng.reset(key, c);
    const platform = pickPlatform(rng);
    const objective = rng.int(0, OBJECTIVES.length - 1);
    const profile = PLATFORMS[platform] as (typeof PLATFORMS)[number];
    const id = `CMP-${String(c + 1).padStart(width, '0')}`;
    const name = `${rng.pick(brands)} | ${rng.pick(products)} | ${rng.pick(THEMES)} | ${(OBJECTIVES[objective] as (typeof OBJECTIVES)[number]).name}`;
    table.ids.push(id);
    table.names.push(name);
    table.prefixes.push(`${id},${csvField(name)},`);
    table.platform[c] = platform;
    table.objective[c] = objective;
    const budget = Math.exp(rng.range(Math.log(BUDGET_MIN), Math.log(BUDGET_MAX))) * (profile.cpm / 10) ** 0.5;
    table.dailyBudgetCents[c] = Math.round(budget) * 100;
    table.quality[c] = 0.6 + rng.next() * 0.8;
    const [first, last] = campaignWindow(seed, c, days);
    table.firstDay[c] = first;
    table.lastDay[c] = last;
    let total = 0;
    for (let a = 0; a < audiences; a++) {
      const weight = (profile.affinity[(AUDIENCES[a] as (typeof AUDIENCES)[number]).label] ?? 1) * rng.range(0.3, 1.7);
      table.share[c * audiences + a] = weight;
      total += weight;
    }
    for (let a = 0; a < audiences; a++) table.share[c * audiences + a] = (table.share[c * audiences + a] as number) / total;
  }
  return table;
}
