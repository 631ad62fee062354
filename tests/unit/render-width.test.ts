// The table width the renderer computes without drawing equals the width of the table cli-table3 draws.
import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { blockWidth, tableWidth } from '../../src/cli/render.js';

/** A small seeded generator (mulberry32), so a failure names a grid that can be reproduced. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII = ' !"#$%&()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~';

function drawnWidth(head: string[], rows: string[][], color: boolean): number {
  const table = new Table({ head, style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true } });
  table.push(...rows);
  return blockWidth(table.toString());
}

describe('tableWidth', () => {
  it('equals the drawn width for printable ASCII grids of any shape, with or without a header, in colour or not', () => {
    const random = rng(20261129);
    const text = (max: number) =>
      Array.from({ length: Math.floor(random() * (max + 1)) }, () => ASCII[Math.floor(random() * ASCII.length)]).join('');
    for (let n = 0; n < 300; n++) {
      const columns = 1 + Math.floor(random() * 9);
      const rows = Array.from({ length: 1 + Math.floor(random() * 12) }, () => Array.from({ length: columns }, () => text(25)));
      const head = random() < 0.2 ? [] : Array.from({ length: columns }, () => text(15));
      const color = random() < 0.5;
      expect(tableWidth(head, rows), JSON.stringify({ head, rows })).toBe(drawnWidth(head, rows, color));
    }
  });

  it('gives up on text whose width only the drawn table tells', () => {
    for (const cell of ['Café crème', '東京 campaign', 'two\nlines', 'tab\there', 'emoji 🚀', 'e\u0301']) {
      expect(tableWidth(['Name'], [[cell]]), cell).toBeUndefined();
    }
    expect(tableWidth(['Name'], [['plain ASCII']])).toBe(drawnWidth(['Name'], [['plain ASCII']], false));
  });
});
