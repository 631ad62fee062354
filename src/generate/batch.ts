// Encodes one batch (one CSV file) of the plan: a pure function of (plan, batch index), so any thread can make any batch.
import { ByteWriter, encodeUtf8 } from './bytes.js';
import { STREAM } from './campaigns.js';
import { CSV_HEADER } from './csv.js';
import { canFormat, corruptFact, DIRT_KINDS, type DirtCounts, DUPLICATE, FORMATTED_NUMBER, noDirt, textDirt } from './dirt.js';
import { computeFact, DayCursor, type Fact, newFact } from './facts.js';
import { type LinePieces, writeLine } from './line.js';
import { dayOfRow, type Plan, rowsOnDay } from './plan.js';
import { Rng, streamKey } from './rng.js';

/** Tries to find a clean earlier row to re-send as a duplicate. */
const DUPLICATE_TRIES = 32;

export interface EncodedBatch {
  /** Header plus data lines, each ending in a newline, as UTF-8: a view of the buffer it was written into. */
  readonly body: Uint8Array;
  readonly rows: number;
  readonly dirt: DirtCounts;
}

/** A first guess at one batch's size, so that buffers rarely need to grow. */
export function batchBytes(plan: Plan): number {
  return Math.min(plan.batchRows, plan.rows) * 160 + 4096;
}

/**
 * Makes batches of one plan. Every row `i` draws from its own sequence (seed, i), so its bytes do not depend on
 * which batch, thread or order makes it. With dirt, the clean rows are the same bytes as without.
 */
export class BatchEncoder {
  private readonly factKey: number;
  private readonly dirtKey: number;
  private readonly factRng = new Rng();
  private readonly dirtRng = new Rng();
  private readonly probeRng = new Rng();
  private readonly cursor: DayCursor;
  private readonly sourceCursor: DayCursor;
  private readonly fact: Fact = newFact();
  private readonly writer = new ByteWriter(0);
  private readonly header = encodeUtf8(CSV_HEADER);
  private readonly ids: LinePieces = { prefix: 0, date: 0, platform: 0, audience: 0 };

  constructor(private readonly plan: Plan) {
    this.factKey = streamKey(plan.seed, STREAM.facts);
    this.dirtKey = streamKey(plan.seed, STREAM.dirt);
    const dayKey = streamKey(plan.seed, STREAM.day);
    this.cursor = new DayCursor(plan.campaigns, dayKey);
    this.sourceCursor = new DayCursor(plan.campaigns, dayKey);
  }

  /**
   * Batch `batch` (0-based): rows `batch * batchRows` up to the next batch or the end, written into `buffer` (grown if
   * too small). Callers reuse buffers once written, so memory stays flat however many batches pass through.
   */
  encode(batch: number, buffer: Uint8Array): EncodedBatch {
    const { plan, writer } = this;
    const start = batch * plan.batchRows;
    const end = Math.min(plan.rows, start + plan.batchRows);
    const dirt = noDirt();
    writer.restart(buffer);
    writer.ensure(this.header.length);
    writer.bytes(this.header);
    // Walk days alongside rows instead of dividing per row; duplicates (rare) look their day up.
    let { day, within } = dayOfRow(plan.rows, plan.days, start);
    let today = rowsOnDay(plan.rows, plan.days, day);
    for (let i = start; i < end; i++, within++) {
      if (within === today) {
        day++;
        within = 0;
        today = rowsOnDay(plan.rows, plan.days, day);
      }
      let kind = -1;
      if (plan.dirtyRate > 0) {
        this.dirtRng.reset(this.dirtKey, i);
        if (this.dirtRng.next() < plan.dirtyRate) kind = this.dirtRng.int(0, DIRT_KINDS.length - 1);
      }
      if (kind === DUPLICATE) {
        const source = this.cleanSource(start);
        if (source >= 0) {
          const at = dayOfRow(plan.rows, plan.days, source);
          this.line(source, at.day, at.within, this.sourceCursor, -1);
          dirt.duplicate_row++;
          continue;
        }
        kind = DUPLICATE + 1;
      }
      const applied = this.line(i, day, within, this.cursor, kind);
      if (applied >= 0) dirt[DIRT_KINDS[applied] as keyof DirtCounts]++;
    }
    return { body: writer.view(), rows: end - start, dirt };
  }

  /** Writes row `index` with dirt `kind` (-1 for none); returns the kind applied (one that cannot apply moves on). */
  private line(index: number, day: number, within: number, cursor: DayCursor, kind: number): number {
    const { plan, fact } = this;
    cursor.locate(day, within, fact);
    this.factRng.reset(this.factKey, index);
    computeFact(plan, day, this.factRng, fact);
    let applied = kind;
    if (applied === FORMATTED_NUMBER && !canFormat(fact)) applied++;
    const platform = plan.campaigns.platform[fact.campaign] as number;
    let override: { field: number; text: string } | undefined;
    if (applied >= 0) {
      corruptFact(applied, fact, this.dirtRng);
      override = textDirt(applied, fact, platform, this.dirtRng);
    }
    const { ids } = this;
    ids.prefix = fact.campaign;
    ids.date = plan.firstDatePiece + day;
    ids.platform = plan.firstPlatformPiece + platform;
    ids.audience = plan.firstAudiencePiece + fact.audience;
    writeLine(this.writer, plan.pieces, ids, fact, override?.field ?? -1, override?.text ?? '');
    return applied;
  }

  /** A random earlier-batch row that carries no dirt itself, or -1. Draws from the current row's dirt sequence. */
  private cleanSource(batchStart: number): number {
    if (batchStart === 0) return -1;
    for (let t = 0; t < DUPLICATE_TRIES; t++) {
      const j = Math.floor(this.dirtRng.next() * batchStart);
      this.probeRng.reset(this.dirtKey, j);
      if (this.probeRng.next() >= this.plan.dirtyRate) return j;
    }
    return -1;
  }
}
