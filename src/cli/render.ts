// Printing only: KPI tables with cli-table3, fitted to the terminal width (wide tables wrap, transpose or split).
import { stripVTControlCharacters } from 'node:util';
import Table from 'cli-table3';
import { formatCell, isNumeric, labelOf } from '../report/format.js';
import type { KpiTable } from '../report/kpis.js';

/** The width used when stdout is not a terminal (a file, a pipe, CI logs). */
export const DEFAULT_WIDTH = 80;
const MIN_WIDTH = 40;
/** Tables with at most this many rows may be transposed (metrics as rows) when too wide. */
const TRANSPOSE_MAX_ROWS = 8;
/** Text columns wrap down to this width before a table is transposed or split. */
const MIN_WRAP = 16;
/** Text longer than this is clipped with `…` even where it could wrap. */
const LONG_TEXT = 120;

export interface RenderOptions {
  /** Colour headings and borders (only on a TTY without NO_COLOR). */
  color: boolean;
  /** Maximum line width; defaults to the terminal's, or 80 when stdout is not a TTY. */
  width?: number;
}

type Align = 'left' | 'right';
interface Grid {
  head: string[];
  aligns: Align[];
  rows: string[][];
}

const lineWidth = (line: string): number => [...stripVTControlCharacters(line)].length;
/** The widest line of a block of text, in characters, colour codes ignored. */
export const blockWidth = (text: string): number => Math.max(0, ...text.split('\n').map(lineWidth));

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function draw(grid: Grid, color: boolean, colWidths?: number[]): string {
  const table = new Table({
    head: grid.head,
    colAligns: grid.aligns,
    // Wrapped rows span several lines, so only they keep a rule between rows.
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: !colWidths },
    ...(colWidths ? { colWidths, wordWrap: true } : {}),
  });
  table.push(...grid.rows);
  return table.toString();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The width of `draw(grid)` without drawing it, when every cell is printable ASCII: cli-table3 pads each cell by one
 * space on both sides and puts one border character between and around the columns. Undefined for any other text
 * (wide or combining characters, line breaks), whose width only the drawn table tells. Drawing a 90-row table just to
 * measure it cost most of the time spent printing the KPIs.
 */
export function tableWidth(head: readonly string[], rows: readonly (readonly string[])[]): number | undefined {
  const columns = Math.max(head.length, ...rows.map((r) => r.length));
  const widths = new Array<number>(columns).fill(0);
  for (const line of [head, ...rows]) {
    for (let i = 0; i < line.length; i++) {
      const cell = line[i] ?? '';
      if (!PRINTABLE_ASCII.test(cell)) return undefined;
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    }
  }
  return widths.reduce((sum, w) => sum + w + 3, 1);
}

/** Whether `draw(grid)` fits `width`, measured without drawing when the cells allow it. */
function fits(grid: Grid, width: number, color: boolean): boolean {
  return (tableWidth(grid.head, grid.rows) ?? blockWidth(draw(grid, color))) <= width;
}

/** Narrows long text columns (never below MIN_WRAP characters) and wraps their cells, if that makes the table fit. */
function wrapped(grid: Grid, width: number, color: boolean): string | undefined {
  const widths = grid.head.map((h, i) => Math.max(lineWidth(h), ...grid.rows.map((r) => lineWidth(r[i] ?? ''))) + 2);
  let excess = widths.reduce((a, b) => a + b, 0) + widths.length + 1 - width;
  const wrappable = widths.map((_, i) => i).filter((i) => grid.aligns[i] === 'left' && (widths[i] ?? 0) > MIN_WRAP + 2);
  while (excess > 0) {
    const widest = wrappable.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a), wrappable[0] ?? -1);
    if (widest < 0 || (widths[widest] ?? 0) <= MIN_WRAP + 2) return undefined;
    widths[widest] = (widths[widest] ?? 0) - 1;
    excess--;
  }
  const text = draw(grid, color, widths);
  return blockWidth(text) <= width ? text : undefined;
}

/** The table as people read it: labels on top, formatted cells; long text clipped so that splitting can always fit. */
function cellsOf(kpi: KpiTable, maxText: number): Grid {
  return {
    head: kpi.columns.map((c) => clip(labelOf(c), maxText)),
    aligns: kpi.kinds.map((k) => (isNumeric(k) ? 'right' : 'left')),
    rows: kpi.rows.map((r) => kpi.columns.map((c, i) => clip(formatCell(r[c], kpi.kinds[i] ?? 'text'), maxText))),
  };
}

/** Metrics as rows: one row gives `label | value`, several give one column per entity (e.g. per platform). */
function transpose(grid: Grid): Grid {
  const right: Align = 'right';
  if (grid.rows.length === 1) {
    const row = grid.rows[0] as string[];
    return { head: [], aligns: ['left', 'right'], rows: grid.head.map((h, i) => [h, row[i] ?? '']) };
  }
  return {
    head: [grid.head[0] ?? '', ...grid.rows.map((r) => r[0] ?? '')],
    aligns: ['left', ...grid.rows.map(() => right)],
    rows: grid.head.slice(1).map((h, i) => [h, ...grid.rows.map((r) => r[i + 1] ?? '')]),
  };
}

const columnsOf = (grid: Grid, keep: readonly number[]): Grid => ({
  head: keep.map((i) => grid.head[i] ?? ''),
  aligns: keep.map((i) => grid.aligns[i] ?? 'left'),
  rows: grid.rows.map((r) => keep.map((i) => r[i] ?? '')),
});

/** Splits the columns into parts that each fit, repeating the first (key) column in every part. */
function split(grid: Grid, width: number, color: boolean): string[] {
  const parts: number[][] = [];
  let part = [0];
  for (let i = 1; i < grid.head.length; i++) {
    const wider = [...part, i];
    if (part.length === 1 || fits(columnsOf(grid, wider), width, color)) part = wider;
    else {
      parts.push(part);
      part = [0, i];
    }
  }
  parts.push(part);
  return parts.map((p) => draw(columnsOf(grid, p), color));
}

function heading(text: string, color: boolean): string {
  return color ? `\u001b[1m${text}\u001b[22m` : text;
}

/** One KPI as console tables no wider than `width`: as is, else transposed, else split into parts. */
export function renderKpiTable(kpi: KpiTable, options: RenderOptions): string {
  const width = Math.max(MIN_WIDTH, options.width ?? terminalWidth());
  const title = clip(kpi.title, width);
  if (kpi.rows.length === 0) return `${heading(title, options.color)}\n(no rows)\n`;
  const full = cellsOf(kpi, LONG_TEXT);
  if (fits(full, width, options.color)) return `${heading(title, options.color)}\n${draw(full, options.color)}\n`;
  const wrap = wrapped(full, width, options.color);
  if (wrap) return `${heading(title, options.color)}\n${wrap}\n`;
  // Transposed and split layouts clip long text, so that one text column plus one number always fits.
  const grid = cellsOf(kpi, Math.max(12, Math.floor(width * 0.4)));
  if (kpi.rows.length <= TRANSPOSE_MAX_ROWS) {
    const turned = transpose(grid);
    if (fits(turned, width, options.color)) return `${heading(title, options.color)}\n${draw(turned, options.color)}\n`;
  }
  const parts = split(grid, width, options.color);
  return parts.map((p, i) => `${heading(clip(`${kpi.title} (${i + 1}/${parts.length})`, width), options.color)}\n${p}\n`).join('\n');
}

/** All KPI tables, separated by a blank line. */
export function renderKpiTables(kpis: readonly KpiTable[], options: RenderOptions): string {
  return kpis.map((k) => renderKpiTable(k, options)).join('\n');
}

/** Whether stdout may use colour. */
export function useColor(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/** The terminal's width on a TTY, else 80. */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout): number {
  return stream.isTTY === true && stream.columns > 0 ? stream.columns : DEFAULT_WIDTH;
}
