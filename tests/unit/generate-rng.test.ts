import { describe, expect, it } from 'vitest';
import { lognormalTable, normalQuantile, Rng, streamKey } from '../../src/generate/rng.js';

describe('generator rng', () => {
  it('restarts the same sequence for the same (key, index) and another for another', () => {
    const draw = (key: number, index: number) => {
      const rng = new Rng(key, index);
      return Array.from({ length: 8 }, () => rng.u32());
    };
    expect(draw(1, 5)).toEqual(draw(1, 5));
    expect(draw(1, 5)).not.toEqual(draw(1, 6));
    expect(draw(1, 5)).not.toEqual(draw(2, 5));
    expect(draw(1, 2 ** 40)).not.toEqual(draw(1, 0));
  });

  it('keys seeds above 32 bits and streams apart', () => {
    expect(streamKey(1, 1)).not.toBe(streamKey(1 + 2 ** 32, 1));
    expect(streamKey(7, 1)).not.toBe(streamKey(7, 2));
    expect(streamKey(-3, 1)).toBe(streamKey(-3, 1));
  });

  it('draws uniform floats in [0, 1)', () => {
    const rng = new Rng(9, 0);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
    }
    expect(sum / 20_000).toBeGreaterThan(0.48);
    expect(sum / 20_000).toBeLessThan(0.52);
  });

  it('inverts the normal CDF', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it('builds log-normal noise with median 1', () => {
    const table = lognormalTable(0.3);
    expect(table).toHaveLength(4096);
    expect(table[2047] as number).toBeLessThan(1);
    expect(table[2048] as number).toBeGreaterThan(1);
    expect(table[4095] as number).toBeCloseTo(Math.exp(0.3 * normalQuantile(4095.5 / 4096)), 12);
  });
});
