// One CSV data line from a fact, written as bytes; dirt may replace one field's text.
import type { ByteWriter, PackedPieces } from './bytes.js';
import type { Fact } from './facts.js';

/** The fields after `campaign_id,campaign_name,date,` that dirt may replace. */
export const FIELD = { platform: 0, impressions: 1, clicks: 2, cost: 3, conversions: 4, revenue: 5 } as const;

const COMMA = 44;
const NEWLINE = 10;

/** Room one line needs beyond its pieces and dirt text: numbers, commas and the newline. */
export const LINE_ROOM = 256;

/** Ids in a Pieces of the texts a line is made of. */
export interface LinePieces {
  prefix: number;
  date: number;
  platform: number;
  audience: number;
}

/**
 * Writes one line and its newline. The `prefix` piece is `campaign_id,campaign_name,` as CSV. ctr is clicks / impressions
 * to six places, money is in cents, view time in tenths. Field `override` (see FIELD), if >= 0, is written as `text`.
 */
export function writeLine(w: ByteWriter, pieces: PackedPieces, ids: LinePieces, f: Fact, override: number, text: string): void {
  const { start, end } = pieces;
  const room =
    (end[ids.prefix] as number) -
    (start[ids.prefix] as number) +
    (end[ids.date] as number) -
    (start[ids.date] as number) +
    (end[ids.platform] as number) -
    (start[ids.platform] as number) +
    (end[ids.audience] as number) -
    (start[ids.audience] as number);
  w.ensure(room + LINE_ROOM + text.length);
  w.piece(pieces, ids.prefix);
  w.piece(pieces, ids.date);
  w.byte(COMMA);
  if (override === FIELD.platform) w.ascii(text);
  else w.piece(pieces, ids.platform);
  w.byte(COMMA);
  w.piece(pieces, ids.audience);
  w.byte(COMMA);
  if (override === FIELD.impressions) w.ascii(text);
  else w.int(f.impressions);
  w.byte(COMMA);
  if (override === FIELD.clicks) w.ascii(text);
  else w.int(f.clicks);
  w.byte(COMMA);
  w.fixed(Math.round((f.clicks * 1_000_000) / f.impressions), 6);
  w.byte(COMMA);
  w.fixed(f.cpcCents, 2);
  w.byte(COMMA);
  if (override === FIELD.cost) w.ascii(text);
  else w.fixed(f.costCents, 2);
  w.byte(COMMA);
  if (override === FIELD.conversions) w.ascii(text);
  else w.int(f.conversions);
  w.byte(COMMA);
  if (override === FIELD.revenue) w.ascii(text);
  else w.fixed(f.revenueCents, 2);
  w.byte(COMMA);
  w.fixed(f.viewTenths, 1);
  w.byte(NEWLINE);
}
