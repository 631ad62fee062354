// Writes dirty raw CSV files that follow the generator contract (BRIEF: one kind of dirt per row, never in the key
// columns), independently of src/generate, and returns the manifest the generator would write plus the clean rows.
import fs from 'node:fs';
import path from 'node:path';

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
export const QUARANTINE_KINDS: readonly DirtKind[] = ['empty_numeric', 'not_a_number', 'negative_cost', 'clicks_above_impressions'];

export const HEADER =
  'campaign_id,campaign_name,date,platform,target_audience,impressions,clicks,ctr,cpc,cost,conversions,revenue,video_view_time';
const PLATFORMS = ['Facebook Ads', 'Google Ads', 'TikTok Ads', 'LinkedIn Ads'];
const SPELLINGS: Record<string, string[]> = {
  'Facebook Ads': ['facebook ads', 'FB Ads', ' Facebook ADS '],
  'Google Ads': [' Google ADS ', 'google'],
  'TikTok Ads': ['tiktok', 'TIKTOK ads'],
  'LinkedIn Ads': ['LinkedIn  Ads', 'linkedin'],
};
const AUDIENCES = ['Mujer 18-25', 'Mujer 26-35', 'Hombre 18-25', 'Hombre +46'];
const NUMERIC = ['impressions', 'clicks', 'cost', 'conversions', 'revenue'] as const;

/** A clean row, as the master should hold it (money in cents to compare exactly). */
export interface CleanRow {
  campaign_id: string;
  campaign_name: string;
  date: string;
  platform: string;
  target_audience: string;
  impressions: number;
  clicks: number;
  cost_cents: number;
  conversions: number;
  revenue_cents: number;
  video_view_time: number;
}

export interface DirtyManifest {
  run_id: string;
  seed: number;
  rows_written: number;
  files: number;
  dirt: Record<DirtKind, number>;
}

export interface DirtyLake {
  manifest: DirtyManifest;
  /** Clean rows by natural key `campaign_id|date|audience`, quarantined ones included. */
  clean: Map<string, CleanRow>;
  /** Keys of rows that must end in the quarantine, with the reason. */
  quarantined: Map<string, DirtKind>;
  /** Lake keys of the files written. */
  keys: string[];
}

export const keyOf = (r: { campaign_id: string; date: string; target_audience: string }): string =>
  `${r.campaign_id}|${r.date}|${r.target_audience}`;

const money = (cents: number): string => (cents / 100).toFixed(2);
const thousands = (text: string): string => {
  const [whole, frac] = text.split('.');
  const grouped = (whole as string).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `"${grouped}${frac !== undefined ? `.${frac}` : ''}"`;
};

function fields(r: CleanRow): Record<string, string> {
  return {
    campaign_id: r.campaign_id,
    campaign_name: `"${r.campaign_name}"`,
    date: r.date,
    platform: r.platform,
    target_audience: r.target_audience,
    impressions: String(r.impressions),
    clicks: String(r.clicks),
    ctr: (r.clicks / r.impressions).toFixed(6),
    cpc: r.clicks ? (r.cost_cents / 100 / r.clicks).toFixed(2) : '0.00',
    cost: money(r.cost_cents),
    conversions: String(r.conversions),
    revenue: money(r.revenue_cents),
    video_view_time: r.video_view_time.toFixed(1),
  };
}

const line = (f: Record<string, string>): string =>
  HEADER.split(',')
    .map((c) => f[c])
    .join(',');

/**
 * Writes `files` CSV files of `rowsPerFile` fresh rows each under `<lakeRoot>/raw/ads/run=<runId>/`; every
 * `every`-th row gets the next kind of dirt in turn. Duplicates are extra lines re-sending an earlier file's row.
 */
export function writeDirtyLake(
  lakeRoot: string,
  options: { runId: string; seed: number; files: number; rowsPerFile: number; every: number; startDate?: string },
): DirtyLake {
  let state = options.seed >>> 0 || 1;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const dirt = Object.fromEntries(DIRT_KINDS.map((k) => [k, 0])) as Record<DirtKind, number>;
  const clean = new Map<string, CleanRow>();
  const quarantined = new Map<string, DirtKind>();
  const written: CleanRow[] = [];
  const keys: string[] = [];
  const dir = path.join(lakeRoot, 'raw', 'ads', `run=${options.runId}`);
  fs.mkdirSync(dir, { recursive: true });
  const start = Date.parse(`${options.startDate ?? '2026-01-01'}T00:00:00Z`);
  let index = 0;
  let turn = 0;
  let rowsWritten = 0;
  for (let f = 0; f < options.files; f++) {
    const lines = [HEADER];
    for (let i = 0; i < options.rowsPerFile; i++, index++) {
      const campaign = Math.floor(index / AUDIENCES.length) % 50;
      const day = Math.floor(index / (AUDIENCES.length * 50));
      const impressions = 1000 + Math.floor(rand() * 90_000);
      const clicks = Math.floor(impressions * rand() * 0.05);
      const row: CleanRow = {
        campaign_id: `CMP-${String(campaign + 1).padStart(5, '0')}`,
        campaign_name: `Campaign, number ${campaign + 1}`,
        date: new Date(start + day * 86_400_000).toISOString().slice(0, 10),
        platform: PLATFORMS[campaign % 4] as string,
        target_audience: AUDIENCES[index % AUDIENCES.length] as string,
        impressions,
        clicks,
        cost_cents: clicks * (20 + Math.floor(rand() * 300)),
        conversions: Math.floor(clicks * rand() * 0.1),
        revenue_cents: Math.floor(rand() * 400_000),
        video_view_time: Math.round(rand() * 300) / 10,
      };
      clean.set(keyOf(row), row);
      const out = fields(row);
      let kind: DirtKind | undefined;
      if ((index + 1) % options.every === 0) {
        kind = DIRT_KINDS[turn++ % DIRT_KINDS.length] as DirtKind;
        const column = NUMERIC[turn % NUMERIC.length] as string;
        if (kind === 'duplicate_row') {
          if (f === 0 || written.length === 0) kind = undefined;
          else {
            const earlier = written[Math.floor(rand() * written.length)] as CleanRow;
            lines.push(line(fields(earlier)));
            rowsWritten++;
          }
        } else if (kind === 'platform_spelling') {
          const spellings = SPELLINGS[row.platform] as string[];
          out.platform = spellings[turn % spellings.length] as string;
        } else if (kind === 'formatted_number') out.impressions = thousands(out.impressions as string);
        else if (kind === 'empty_numeric') out[column] = '';
        else if (kind === 'not_a_number') out[column] = 'n/a';
        else if (kind === 'negative_cost') out.cost = `-${money(row.cost_cents + 1)}`;
        else if (kind === 'clicks_above_impressions') out.clicks = String(row.impressions + 7);
      }
      if (kind) dirt[kind]++;
      if (kind && QUARANTINE_KINDS.includes(kind)) quarantined.set(keyOf(row), kind);
      else if (f < options.files - 1) written.push(row);
      lines.push(line(out));
      rowsWritten++;
    }
    const key = `raw/ads/run=${options.runId}/part-${String(f + 1).padStart(5, '0')}.csv`;
    fs.writeFileSync(path.join(lakeRoot, ...key.split('/')), `${lines.join('\n')}\n`);
    keys.push(key);
  }
  const manifest: DirtyManifest = { run_id: options.runId, seed: options.seed, rows_written: rowsWritten, files: options.files, dirt };
  fs.writeFileSync(path.join(dir, '_manifest.json'), JSON.stringify(manifest, null, 2));
  return { manifest, clean, quarantined, keys };
}
