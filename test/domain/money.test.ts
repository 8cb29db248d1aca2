import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFen } from '../../src/domain/money.ts';

/** Parses a formatted amount back to integer fen without touching floating point. */
function parseFormatted(text: string, currency: string): number {
  const negative = text.startsWith('-');
  let rest = negative ? text.slice(1) : text;
  const prefix = currency === 'CNY' ? '¥' : `${currency} `;
  expect(rest.startsWith(prefix)).toBe(true);
  rest = rest.slice(prefix.length);
  expect(rest).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  const digits = rest.replaceAll(',', '').replace('.', '');
  const value = BigInt(digits);
  return Number(negative ? -value : value);
}

describe('formatFen', () => {
  it('formats CNY with the yuan sign, thousands separators and two decimals', () => {
    expect(formatFen(0, 'CNY')).toBe('¥0.00');
    expect(formatFen(1, 'CNY')).toBe('¥0.01');
    expect(formatFen(10, 'CNY')).toBe('¥0.10');
    expect(formatFen(19900, 'CNY')).toBe('¥199.00');
    expect(formatFen(99999, 'CNY')).toBe('¥999.99');
    expect(formatFen(100000, 'CNY')).toBe('¥1,000.00');
    expect(formatFen(129900, 'CNY')).toBe('¥1,299.00');
    expect(formatFen(123456789, 'CNY')).toBe('¥1,234,567.89');
    expect(formatFen(Number.MAX_SAFE_INTEGER, 'CNY')).toBe('¥90,071,992,547,409.91');
  });

  it('formats negative amounts with a leading minus', () => {
    expect(formatFen(-5, 'CNY')).toBe('-¥0.05');
    expect(formatFen(-129900, 'CNY')).toBe('-¥1,299.00');
    expect(formatFen(Number.MIN_SAFE_INTEGER, 'CNY')).toBe('-¥90,071,992,547,409.91');
    expect(formatFen(-0, 'CNY')).toBe('¥0.00');
  });

  it('prefixes other currencies with their ISO code', () => {
    expect(formatFen(1999, 'USD')).toBe('USD 19.99');
    expect(formatFen(-100000, 'EUR')).toBe('-EUR 1,000.00');
  });

  it('rejects amounts that are not safe integers', () => {
    for (const bad of [
      0.5,
      199.99,
      -0.01,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** 53,
      -(2 ** 53),
    ]) {
      expect(() => formatFen(bad, 'CNY')).toThrow(RangeError);
    }
    expect(() => formatFen('100' as unknown as number, 'CNY')).toThrow(RangeError);
    expect(() => formatFen(10n as unknown as number, 'CNY')).toThrow(RangeError);
  });

  it('rejects currencies that are not ISO 4217 codes', () => {
    for (const bad of ['', 'cny', 'RMB1', '¥', 'CN']) {
      expect(() => formatFen(100, bad)).toThrow(TypeError);
    }
  });

  it('round-trips: stripping the symbol and commas gives back the same integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom('CNY', 'USD', 'HKD'), (fen, currency) => {
        expect(parseFormatted(formatFen(fen, currency), currency)).toBe(fen === 0 ? 0 : fen);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips small and boundary amounts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1_000_000, max: 1_000_000 }),
          fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 99, 100, 999_99, 1000_00),
        ),
        (fen) => {
          expect(parseFormatted(formatFen(fen, 'CNY'), 'CNY')).toBe(fen === 0 ? 0 : fen);
        },
      ),
    );
  });

  it('rejects any non-integer finite number', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)),
        (x) => {
          expect(() => formatFen(x, 'CNY')).toThrow(RangeError);
        },
      ),
    );
  });
});
