// CSV text pieces: the header of the raw files, RFC 4180 quoting, and numbers with thousands separators.

/** The CSV header, in file order (the contract with sql/models/010_raw_ads.sql). */
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

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

/** Quotes a field when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A whole number with thousands separators: 1234567 -> "1,234,567". */
export function withThousands(value: number): string {
  const s = `${value}`;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return out;
}
