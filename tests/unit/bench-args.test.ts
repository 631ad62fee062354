import { describe, expect, it } from 'vitest';
import { measurement, parseCounts, parseNames } from '../../src/bench/stage.js';

describe('bench flags', () => {
  it('reads row counts with separators and k/m suffixes, and falls back to the default', () => {
    expect(parseCounts('1000000,10_000_000', [5])).toEqual([1_000_000, 10_000_000]);
    expect(parseCounts('500k, 1m,2.5M', [5])).toEqual([500_000, 1_000_000, 2_500_000]);
    expect(parseCounts(undefined, [7, 8])).toEqual([7, 8]);
    expect(() => parseCounts('ten', [1])).toThrow(/not a row count: "ten"/);
    expect(() => parseCounts('0', [1])).toThrow(/not a row count/);
  });

  it('accepts only known names', () => {
    expect(parseNames('lake', 'local, s3', ['local', 's3'] as const, ['local'])).toEqual(['local', 's3']);
    expect(parseNames('lake', undefined, ['local', 's3'] as const, ['s3'])).toEqual(['s3']);
    expect(() => parseNames('lake', 'gcs', ['local', 's3'] as const, ['s3'])).toThrow('--lake: "gcs" is not one of local, s3');
  });

  it('derives rates from rows, bytes and seconds, and gives 0 for a zero-time run', () => {
    const m = measurement('x', { rows: 1_000_000, bytes: 150e6, seconds: 2, peakRssMb: 100, cpuSeconds: 3 });
    expect(m.rowsPerSecond).toBe(500_000);
    expect(m.mbPerSecond).toBe(75);
    expect(measurement('y', { rows: 1, bytes: 1, seconds: 0, peakRssMb: 1, cpuSeconds: 0 }).rowsPerSecond).toBe(0);
  });
});
