// The kinds of dirt real exports carry, and how each one corrupts a single row (never its key columns).
import { withThousands } from './csv.js';
import type { Fact } from './facts.js';
import { FIELD } from './line.js';
import { PLATFORMS } from './lists.js';
import type { Rng } from './rng.js';

/** In manifest order; see the README "Data" section for what the SQL cleaning does with each. */
export const DIRT_KINDS = [
  'duplicate_row',
  'platform_spelling',
  'formatted_number',
  'empty_numeric',
  'not_a_number',
  'negative_cost',
  'clicks_above_impressions',
] as const;
export type DirtKind = (typeof DIRT_KINDS)[number];
export type DirtCounts = Record<DirtKind, number>;

export const DUPLICATE = 0;
export const PLATFORM_SPELLING = 1;
export const FORMATTED_NUMBER = 2;
export const EMPTY_NUMERIC = 3;
export const NOT_A_NUMBER = 4;
export const NEGATIVE_COST = 5;
export const CLICKS_ABOVE_IMPRESSIONS = 6;

export const noDirt = (): DirtCounts => Object.fromEntries(DIRT_KINDS.map((k) => [k, 0])) as DirtCounts;

/** The numeric fields that dirt may touch. */
const NUMERIC = ['impressions', 'clicks', 'cost', 'conversions', 'revenue'] as const;

/** Dirt that changes numbers; applied to the fact before it becomes text. */
export function corruptFact(kind: number, fact: Fact, rng: Rng): void {
  if (kind === NEGATIVE_COST) fact.costCents = -Math.max(1, fact.costCents);
  else if (kind === CLICKS_ABOVE_IMPRESSIONS) fact.clicks = fact.impressions + rng.int(1, Math.max(1, Math.ceil(fact.impressions / 10)));
}

/** Whether `formatted_number` can show on this fact: some field must be 1,000 or more to carry a separator. */
export function canFormat(fact: Fact): boolean {
  return fact.impressions >= 1000 || fact.costCents >= 100_000 || fact.revenueCents >= 100_000;
}

/** Dirt that changes text: the field to replace (see FIELD) and its text; applied as the line is written. */
export function textDirt(kind: number, fact: Fact, platform: number, rng: Rng): { field: number; text: string } | undefined {
  if (kind === PLATFORM_SPELLING)
    return { field: FIELD.platform, text: rng.pick((PLATFORMS[platform] as (typeof PLATFORMS)[number]).spellings) };
  if (kind === EMPTY_NUMERIC) return { field: FIELD[rng.pick(NUMERIC)], text: '' };
  if (kind === NOT_A_NUMBER) return { field: FIELD[rng.pick(NUMERIC)], text: 'n/a' };
  if (kind !== FORMATTED_NUMBER) return undefined;
  const money = (c: number) => `"${withThousands(Math.floor(c / 100))}.${String(c % 100).padStart(2, '0')}"`;
  const options: { field: number; text: string }[] = [];
  if (fact.impressions >= 1000) options.push({ field: FIELD.impressions, text: `"${withThousands(fact.impressions)}"` });
  if (fact.costCents >= 100_000) options.push({ field: FIELD.cost, text: money(fact.costCents) });
  if (fact.revenueCents >= 100_000) options.push({ field: FIELD.revenue, text: money(fact.revenueCents) });
  return rng.pick(options);
}
