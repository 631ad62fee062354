// The pure, seeded data model: campaign dimension (Faker pools) and fact rows; no I/O.
import { en, Faker } from '@faker-js/faker';
import { Rng } from './rng.js';

/** The replaced system's eight audience segments. */
export const AUDIENCES = [
  'Mujer 18-25',
  'Mujer 26-35',
  'Mujer 36-45',
  'Mujer +46',
  'Hombre 18-25',
  'Hombre 26-35',
  'Hombre 36-45',
  'Hombre +46',
] as const;

/** Per-platform behaviour: typical daily impressions, click-through rate, cost per click, conversion rate. */
export interface PlatformProfile {
  readonly name: string;
  readonly impressions: number;
  readonly ctr: number;
  readonly cpc: number;
  readonly cvr: number;
  readonly orderValue: number;
  readonly viewSeconds: number;
}

export const PLATFORMS: readonly PlatformProfile[] = [
  { name: 'Facebook Ads', impressions: 12000, ctr: 0.012, cpc: 0.55, cvr: 0.03, orderValue: 48, viewSeconds: 9 },
  { name: 'Google Ads', impressions: 9000, ctr: 0.035, cpc: 1.1, cvr: 0.05, orderValue: 62, viewSeconds: 14 },
  { name: 'TikTok Ads', impressions: 20000, ctr: 0.009, cpc: 0.35, cvr: 0.015, orderValue: 35, viewSeconds: 11 },
  { name: 'LinkedIn Ads', impressions: 4000, ctr: 0.006, cpc: 3.2, cvr: 0.04, orderValue: 180, viewSeconds: 7 },
];

export const OBJECTIVES = ['awareness', 'traffic', 'conversions'] as const;

export interface Campaign {
  readonly id: string;
  readonly name: string;
  readonly platform: PlatformProfile;
  readonly objective: (typeof OBJECTIVES)[number];
  readonly dailyBudget: number;
}

/** The CSV header, in file order. */
export const CSV_COLUMNS = [
  'campaign_id',
  'campaign_name',
  'date',
  'platform',
  'target_audience',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'cost',
  'conversions',
  'revenue',
  'video_view_time',
] as const;

/** Builds `count` campaigns deterministically from `seed`. */
export function buildCampaigns(seed: number, count: number): Campaign[] {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const rng = new Rng(seed ^ 0x5bd1e995);
  const campaigns: Campaign[] = [];
  for (let i = 0; i < count; i++) {
    const objective = rng.pick(OBJECTIVES);
    campaigns.push({
      id: `CMP-${String(i + 1).padStart(5, '0')}`,
      name: `${faker.company.name()} ${faker.commerce.product()} ${objective}`.replaceAll('"', "'"),
      platform: PLATFORMS[i % PLATFORMS.length] as PlatformProfile,
      objective,
      dailyBudget: Math.round(rng.range(50, 2000)),
    });
  }
  return campaigns;
}

/** Adds `days` days to an ISO date. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`, inclusive. */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * One CSV line for fact row `index`. Rows enumerate (date, campaign, audience) so each natural key appears once.
 * Coherent by construction: clicks <= impressions, conversions <= clicks, cost = clicks x cpc.
 */
export function factLine(rng: Rng, campaigns: readonly Campaign[], from: string, index: number): string {
  const perDay = campaigns.length * AUDIENCES.length;
  const day = Math.floor(index / perDay);
  const within = index % perDay;
  const campaign = campaigns[Math.floor(within / AUDIENCES.length)] as Campaign;
  const audience = AUDIENCES[within % AUDIENCES.length] as string;
  const p = campaign.platform;
  const impressions = Math.max(1, Math.round(p.impressions * rng.lognormal(0.6) * (campaign.dailyBudget / 1000)));
  const clicks = Math.min(impressions, Math.round(impressions * p.ctr * rng.lognormal(0.3)));
  const cpc = Math.round(p.cpc * rng.lognormal(0.2) * 100) / 100;
  const cost = Math.round(clicks * cpc * 100) / 100;
  const conversions = Math.min(clicks, Math.round(clicks * p.cvr * rng.lognormal(0.4)));
  const revenue = Math.round(conversions * p.orderValue * rng.lognormal(0.25) * 100) / 100;
  const ctr = impressions === 0 ? 0 : clicks / impressions;
  const view = Math.round(p.viewSeconds * rng.lognormal(0.35) * 10) / 10;
  return [
    campaign.id,
    csvField(campaign.name),
    addDays(from, day),
    p.name,
    audience,
    impressions,
    clicks,
    ctr.toFixed(6),
    cpc.toFixed(2),
    cost.toFixed(2),
    conversions,
    revenue.toFixed(2),
    view.toFixed(1),
  ].join(',');
}
