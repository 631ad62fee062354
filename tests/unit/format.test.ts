import { describe, expect, it } from 'vitest';
import { formatCell, kindOf } from '../../src/report/format.js';

describe('report formatting', () => {
  it('classifies columns by name', () => {
    expect(kindOf('ctr', 0.1)).toBe('percent');
    expect(kindOf('roi', 0.1)).toBe('percent');
    expect(kindOf('cost', 1)).toBe('money');
    expect(kindOf('cpa', 1)).toBe('money');
    expect(kindOf('roas', 1)).toBe('ratio');
    expect(kindOf('impressions', 1)).toBe('count');
    expect(kindOf('platform', 'x')).toBe('text');
  });

  it('formats money, percentages, counts and NULL', () => {
    expect(formatCell(1234567.891, 'money')).toBe('1,234,567.89');
    expect(formatCell(0.01234, 'percent')).toBe('1.23%');
    expect(formatCell(1234567, 'count')).toBe('1,234,567');
    expect(formatCell(null, 'money')).toBe('-');
    expect(formatCell(Number.POSITIVE_INFINITY, 'ratio')).toBe('-');
  });
});
