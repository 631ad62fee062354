import { describe, expect, it } from 'vitest';
import { ByteWriter, Pieces } from '../../src/generate/bytes.js';
import { csvField, withThousands } from '../../src/generate/csv.js';
import { newFact } from '../../src/generate/facts.js';
import { FIELD, writeLine } from '../../src/generate/line.js';

const written = (fn: (w: ByteWriter) => void): string => {
  const w = new ByteWriter(4);
  w.ensure(64);
  fn(w);
  return new TextDecoder().decode(w.take());
};

describe('generator CSV encoding', () => {
  it('writes whole numbers and fixed decimals digit by digit', () => {
    expect(written((w) => w.int(0))).toBe('0');
    expect(written((w) => w.int(1234567))).toBe('1234567');
    expect(written((w) => w.int(-42))).toBe('-42');
    expect(written((w) => w.fixed(12345, 2))).toBe('123.45');
    expect(written((w) => w.fixed(5, 2))).toBe('0.05');
    expect(written((w) => w.fixed(-1, 2))).toBe('-0.01');
    expect(written((w) => w.fixed(11989, 6))).toBe('0.011989');
    expect(written((w) => w.fixed(1_000_000, 6))).toBe('1.000000');
    expect(written((w) => w.fixed(93, 1))).toBe('9.3');
  });

  it('grows its buffer keeping what was written', () => {
    const w = new ByteWriter(2);
    w.ensure(3);
    w.ascii('abc');
    w.ensure(100);
    w.ascii('d');
    expect(new TextDecoder().decode(w.take())).toBe('abcd');
  });

  it('quotes fields only when RFC 4180 requires it', () => {
    expect(csvField('Acme | Chair')).toBe('Acme | Chair');
    expect(csvField('Smith, Lee and Co')).toBe('"Smith, Lee and Co"');
    expect(csvField('a "b"')).toBe('"a ""b"""');
  });

  it('writes thousands separators', () => {
    expect(withThousands(999)).toBe('999');
    expect(withThousands(1000)).toBe('1,000');
    expect(withThousands(1234567)).toBe('1,234,567');
  });

  it('writes whole lines into a small buffer, growing it for long pieces and dirt text', () => {
    const pieces = new Pieces();
    const name = `CMP-00001,"${'Ünïcode, long name '.repeat(20)}",`;
    const ids = {
      prefix: pieces.add(name),
      date: pieces.add('2026-01-02'),
      platform: pieces.add('Google Ads'),
      audience: pieces.add('Mujer +46'),
    };
    const packed = pieces.seal();
    const fact = {
      ...newFact(),
      impressions: 12345,
      clicks: 148,
      cpcCents: 55,
      costCents: 8140,
      conversions: 4,
      revenueCents: 19200,
      viewTenths: 93,
    };
    const w = new ByteWriter(8);
    writeLine(w, packed, ids, fact, -1, '');
    writeLine(w, packed, ids, fact, FIELD.impressions, '"12,345"');
    const tail = '0.011989,0.55,81.40,4,192.00,9.3';
    expect(new TextDecoder().decode(w.take())).toBe(
      `${name}2026-01-02,Google Ads,Mujer +46,12345,148,${tail}\n${name}2026-01-02,Google Ads,Mujer +46,"12,345",148,${tail}\n`,
    );
  });
});
