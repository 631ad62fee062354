// The fact model: which (campaign, audience) a row belongs to on its day, and its coherent numbers.
import type { CampaignTable } from './campaigns.js';
import { AUDIENCES, OBJECTIVES, PLATFORMS } from './lists.js';
import type { Plan } from './plan.js';
import { lognormalTable, mix32, type Rng } from './rng.js';

/** One fact row's numbers; money in whole cents, view time in tenths of a second. */
export interface Fact {
  campaign: number;
  audience: number;
  impressions: number;
  clicks: number;
  cpcCents: number;
  costCents: number;
  conversions: number;
  revenueCents: number;
  viewTenths: number;
}

export const newFact = (): Fact => ({
  campaign: 0,
  audience: 0,
  impressions: 0,
  clicks: 0,
  cpcCents: 0,
  costCents: 0,
  conversions: 0,
  revenueCents: 0,
  viewTenths: 0,
});

const NOISE_SMALL = lognormalTable(0.25);
const NOISE_MID = lognormalTable(0.3);
const NOISE_WIDE = lognormalTable(0.4);

/** Typical values per (platform, objective, audience), multiplied out once: cpm, ctr, cvr, order value (cents), view. */
const FIELDS = 5;
const PROFILE = (() => {
  const table = new Float64Array(PLATFORMS.length * OBJECTIVES.length * AUDIENCES.length * FIELDS);
  let i = 0;
  for (const p of PLATFORMS) {
    for (const o of OBJECTIVES) {
      for (const a of AUDIENCES) {
        table[i++] = p.cpm * o.cpm * a.cpm;
        table[i++] = p.ctr * o.ctr * a.ctr * (p.affinity[a.label] ?? 1);
        table[i++] = p.cvr * o.cvr * a.cvr;
        table[i++] = p.orderValue * 100;
        table[i++] = p.viewSeconds * o.view * a.view;
      }
    }
  }
  return table;
})();

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The (campaign, audience) pairs active on one day, and a permutation of them: the day's k-th row takes pair
 * `(k * step + offset) mod pairs`, a bijection, so natural keys never repeat and rows spread over all campaigns.
 */
export class DayCursor {
  day = -1;
  private active = new Int32Array(0);
  private pairs = 0;
  private step = 1;
  private offset = 0;

  constructor(
    private readonly campaigns: CampaignTable,
    private readonly seed: number,
  ) {}

  /** Points `fact.campaign` and `fact.audience` at the `within`-th row of `day`. */
  locate(day: number, within: number, fact: Fact): void {
    if (day !== this.day) this.load(day);
    const slot = (within * this.step + this.offset) % this.pairs;
    fact.campaign = this.active[Math.floor(slot / AUDIENCES.length)] as number;
    fact.audience = slot % AUDIENCES.length;
  }

  private load(day: number): void {
    const { count, firstDay, lastDay } = this.campaigns;
    if (this.active.length < count) this.active = new Int32Array(count);
    let n = 0;
    for (let c = 0; c < count; c++) if ((firstDay[c] as number) <= day && day <= (lastDay[c] as number)) this.active[n++] = c;
    this.pairs = n * AUDIENCES.length;
    let step = Math.max(1, Math.floor(this.pairs * 0.6180339887));
    while (gcd(step, this.pairs) !== 1) step++;
    this.step = step;
    this.offset = mix32(this.seed ^ Math.imul(day + 1, 0x9e3779b9)) % this.pairs;
    this.day = day;
  }
}

/**
 * Fills the numbers of `fact` (campaign and audience already set) from `rng`. Coherent by construction: spend stays
 * within the campaign's daily budget share, clicks <= impressions, conversions <= clicks, cost = clicks x cpc.
 */
export function computeFact(plan: Plan, day: number, rng: Rng, fact: Fact): void {
  const t = plan.campaigns;
  const c = fact.campaign;
  const a = fact.audience;
  const platform = t.platform[c] as number;
  const p = ((platform * OBJECTIVES.length + (t.objective[c] as number)) * AUDIENCES.length + a) * FIELDS;
  const weekend = plan.weekend[day] === 1 ? (PLATFORMS[platform] as (typeof PLATFORMS)[number]).weekend : 1;
  const pacing = Math.min(1, 0.7 * weekend * rng.noise(NOISE_MID));
  const spendCents = Math.floor((t.dailyBudgetCents[c] as number) * (t.share[c * AUDIENCES.length + a] as number) * pacing);
  const cpm = (PROFILE[p] as number) * rng.noise(NOISE_SMALL);
  const impressions = Math.max(1, Math.round((spendCents * 10) / cpm));
  const quality = t.quality[c] as number;
  const ctr = Math.min(0.6, (PROFILE[p + 1] as number) * quality * rng.noise(NOISE_MID));
  // Stochastic rounding keeps small counts unbiased: 0.3 expected conversions is 1 three times in ten, not always 0.
  // Clicks are capped by the spend in cents, so that every click costs at least a cent.
  const clicks = Math.min(impressions, spendCents, Math.floor(impressions * ctr + rng.next()));
  const cpcCents = clicks > 0 ? Math.floor(spendCents / clicks) : 0;
  const cvr = Math.min(0.9, (PROFILE[p + 2] as number) * quality * rng.noise(NOISE_WIDE));
  const conversions = Math.min(clicks, Math.floor(clicks * cvr + rng.next()));
  fact.impressions = impressions;
  fact.clicks = clicks;
  fact.cpcCents = cpcCents;
  fact.costCents = clicks * cpcCents;
  fact.conversions = conversions;
  fact.revenueCents = Math.round(conversions * (PROFILE[p + 3] as number) * rng.noise(NOISE_SMALL));
  fact.viewTenths = Math.round((PROFILE[p + 4] as number) * rng.noise(NOISE_MID) * 10);
}
