import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandSerialBatch,
  MAX_SERIAL_LENGTH,
  MAX_UNITS_PER_BATCH,
  serialMatcher,
  serialPatternProblem,
} from '../../src/domain/serial-batch.ts';
import { translate } from '../../src/i18n/catalogue.ts';
import { inEnglish } from '../helpers/messages.ts';

const PATTERN = '^XH[0-9]{10}$';
const fieldsOf = (result: { problems: { field: string }[] }) => result.problems.map((p) => p.field);
const xh = (n: number) => `XH${String(n).padStart(10, '0')}`;

describe('expandSerialBatch: ranges', () => {
  it('expands a range keeping the prefix and the width of the number', () => {
    const { serials, problems } = expandSerialBatch(
      { range: { from: 'XH0000000001', to: 'XH0000000250' } },
      { serialPattern: PATTERN },
    );
    expect(problems).toEqual([]);
    expect(serials).toHaveLength(250);
    expect(serials[0]).toBe('XH0000000001');
    expect(serials[9]).toBe('XH0000000010');
    expect(serials.at(-1)).toBe('XH0000000250');
  });

  it('handles one-unit ranges, digit-only serials, digits in the prefix and huge numbers', () => {
    expect(expandSerialBatch({ range: { from: 'A7', to: 'A7' } }).serials).toEqual(['A7']);
    expect(expandSerialBatch({ range: { from: '0098', to: '0102' } }).serials).toEqual([
      '0098',
      '0099',
      '0100',
      '0101',
      '0102',
    ]);
    expect(expandSerialBatch({ range: { from: 'A1-B2-0009', to: 'A1-B2-0011' } }).serials).toEqual([
      'A1-B2-0009',
      'A1-B2-0010',
      'A1-B2-0011',
    ]);
    expect(
      expandSerialBatch({ range: { from: 'SN18446744073709551615', to: 'SN18446744073709551617' } }).serials,
    ).toEqual(['SN18446744073709551615', 'SN18446744073709551616', 'SN18446744073709551617']);
  });

  it('trims the ends', () => {
    expect(expandSerialBatch({ range: { from: '  XH0000000001 ', to: '\tXH0000000002\n' } }).serials).toEqual(
      ['XH0000000001', 'XH0000000002'],
    );
  });

  it('names range.to when the range is reversed, the prefix differs or the width differs', () => {
    const cases: [string, string, RegExp][] = [
      ['XH0000000250', 'XH0000000001', /before range\.from/],
      ['XH0000000001', 'XG0000000250', /same prefix/],
      ['XH001', 'XH0250', /as many digits/],
      ['XH9', 'XH10', /as many digits/],
    ];
    for (const [from, to, message] of cases) {
      const result = expandSerialBatch({ range: { from, to } });
      expect(result.serials).toEqual([]);
      expect(inEnglish(result.problems)).toEqual([
        { field: 'range.to', message: expect.stringMatching(message) },
      ]);
    }
  });

  it('names the end that has no number, is blank or has unsafe characters', () => {
    expect(fieldsOf(expandSerialBatch({ range: { from: 'XH-A', to: 'XH0002' } }))).toEqual(['range.from']);
    expect(fieldsOf(expandSerialBatch({ range: { from: 'XH0001', to: '  ' } }))).toEqual(['range.to']);
    expect(fieldsOf(expandSerialBatch({ range: { from: '../0001', to: '../0002' } }))).toEqual([
      'range.from',
      'range.to',
    ]);
  });

  it('refuses a range beyond the batch limit without expanding it', () => {
    const started = performance.now();
    const result = expandSerialBatch({ range: { from: 'XH0000000000', to: 'XH9999999999' } });
    expect(performance.now() - started).toBeLessThan(50);
    expect(inEnglish(result.problems)).toEqual([
      { field: 'range', message: expect.stringMatching(/at most 10000/) },
    ]);
    expect(fieldsOf(expandSerialBatch({ range: { from: xh(1), to: xh(MAX_UNITS_PER_BATCH + 1) } }))).toEqual([
      'range',
    ]);
    expect(expandSerialBatch({ range: { from: xh(1), to: xh(MAX_UNITS_PER_BATCH) } }).serials).toHaveLength(
      MAX_UNITS_PER_BATCH,
    );
  });

  it('expands any small range to consecutive, distinct serials of one width (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{0,3}$/),
        fc.integer({ min: 1, max: 12 }),
        fc.bigInt({ min: 0n, max: 999_999_999_999n }),
        fc.integer({ min: 1, max: 300 }),
        (prefix, width, start, count) => {
          const max = 10n ** BigInt(width) - 1n;
          const first = start % (max + 1n);
          const last = first + BigInt(count - 1) > max ? max : first + BigInt(count - 1);
          const pad = (n: bigint) => `${prefix}${n.toString().padStart(width, '0')}`;
          const { serials, problems } = expandSerialBatch({ range: { from: pad(first), to: pad(last) } });
          expect(problems).toEqual([]);
          expect(serials).toHaveLength(Number(last - first + 1n));
          expect(new Set(serials).size).toBe(serials.length);
          expect(serials.every((s) => s.length === prefix.length + width && s.startsWith(prefix))).toBe(true);
          expect(serials.map((s) => BigInt(s.slice(prefix.length)))).toEqual(
            serials.map((_, i) => first + BigInt(i)),
          );
        },
      ),
    );
  });
});

describe('expandSerialBatch: lists', () => {
  it('trims, drops duplicates and keeps the order, listed serials before the range', () => {
    const { serials, problems } = expandSerialBatch({
      serials: [' XH0000000009', 'XH0000000003', 'XH0000000009 ', 'XH0000000001'],
      range: { from: 'XH0000000001', to: 'XH0000000004' },
    });
    expect(problems).toEqual([]);
    expect(serials).toEqual(['XH0000000009', 'XH0000000003', 'XH0000000001', 'XH0000000002', 'XH0000000004']);
  });

  it('asks for a list or a range', () => {
    expect(inEnglish(expandSerialBatch({}).problems)).toEqual([
      { field: 'serials', message: expect.stringMatching(/list .* range/) },
    ]);
    expect(expandSerialBatch({ serials: [] }).serials).toEqual([]);
  });

  it('names each bad entry by its index in the request', () => {
    const serials = Array.from({ length: 20 }, (_, i) => xh(i));
    serials[3] = '   ';
    serials[11] = 'XH 0000000011';
    serials[17] = 'XH00000017';
    serials[18] = `XH${'0'.repeat(120)}`;
    const result = expandSerialBatch({ serials }, { serialPattern: PATTERN });
    expect(result.serials).toEqual([]);
    expect(inEnglish(result.problems)).toEqual([
      { field: 'serials/3', message: 'is empty' },
      { field: 'serials/11', message: expect.stringMatching(/letters, digits/) },
      { field: 'serials/17', message: expect.stringMatching(/serial format \^XH\[0-9\]\{10\}\$/) },
      { field: 'serials/18', message: expect.stringMatching(/longer than 100/) },
    ]);
  });

  it('limits a batch to 10,000 units, list and range together', () => {
    const many = Array.from({ length: MAX_UNITS_PER_BATCH + 1 }, (_, i) => xh(i));
    expect(fieldsOf(expandSerialBatch({ serials: many }))).toEqual(['serials']);
    expect(expandSerialBatch({ serials: many.slice(1) }).serials).toHaveLength(MAX_UNITS_PER_BATCH);
    const together = expandSerialBatch({
      serials: many.slice(0, 5000),
      range: { from: xh(20_000), to: xh(25_000) },
    });
    expect(inEnglish(together.problems)).toEqual([
      { field: 'serials', message: expect.stringMatching(/together cover 10001/) },
    ]);
    // Overlap counts once.
    const overlapping = expandSerialBatch({
      serials: many.slice(0, 5000),
      range: { from: xh(0), to: xh(MAX_UNITS_PER_BATCH - 1) },
    });
    expect(inEnglish(overlapping.problems)).toEqual([]);
    expect(overlapping.serials).toHaveLength(MAX_UNITS_PER_BATCH);
  });

  it('lists at most 50 problems and counts the rest', () => {
    const bad = Array.from({ length: 10_000 }, (_, i) => `YY${i}`);
    const { problems } = expandSerialBatch({ serials: bad }, { serialPattern: PATTERN });
    expect(problems).toHaveLength(51);
    expect(inEnglish(problems).at(-1)).toEqual({
      field: 'serials',
      message: 'has 9950 more invalid serial number(s) not listed here',
    });
  });
});

describe('serial format', () => {
  it('matches whole serials whether or not the pattern is anchored', () => {
    const anchored = serialMatcher('^XH[0-9]{10}$');
    const bare = serialMatcher('XH[0-9]{10}');
    const either = serialMatcher('A|B');
    for (const test of [anchored, bare]) {
      expect(test?.('XH0000000001')).toBe(true);
      expect(test?.('fooXH0000000001')).toBe(false);
      expect(test?.('XH0000000001bar')).toBe(false);
    }
    expect(either?.('A')).toBe(true);
    expect(either?.('AB')).toBe(false);
    expect(serialMatcher(null)).toBeNull();
    expect(serialMatcher('')).toBeNull();
  });

  it('checks range ends and every unit of the range against the pattern', () => {
    expect(
      fieldsOf(expandSerialBatch({ range: { from: 'XH001', to: 'XH002' } }, { serialPattern: PATTERN })),
    ).toEqual(['range.from', 'range.to']);
    // Ends fit, but units 0020..0029 do not (the product only uses 0-1 as the third digit).
    const partial = expandSerialBatch(
      { range: { from: 'SN0010', to: 'SN0035' } },
      { serialPattern: '^SN00[013][0-9]$' },
    );
    expect(inEnglish(partial.problems)).toEqual([
      { field: 'range', message: expect.stringMatching(/^10 serial .* first SN0020/) },
    ]);
  });

  it('reports a broken product pattern instead of throwing', () => {
    expect(fieldsOf(expandSerialBatch({ serials: ['A1'] }, { serialPattern: '(' }))).toEqual([
      'serialPattern',
    ]);
  });
});

describe('manufacturer serial patterns cannot hang the server', () => {
  /**
   * Each of these takes a backtracking engine about 2^n steps on a near-miss of n
   * characters: at 100 characters this test would never finish there. RE2 reads
   * the serial once.
   */
  const CATASTROPHIC: [string, string, string][] = [
    ['(a+)+', `${'a'.repeat(MAX_SERIAL_LENGTH - 1)}b`, 'a'.repeat(MAX_SERIAL_LENGTH)],
    ['(a|a)*', `${'a'.repeat(MAX_SERIAL_LENGTH - 1)}b`, 'a'.repeat(MAX_SERIAL_LENGTH)],
    ['(a*)*b', 'a'.repeat(MAX_SERIAL_LENGTH), `${'a'.repeat(MAX_SERIAL_LENGTH - 1)}b`],
    ['^([a-z0-9]+)*$', `${'a1'.repeat(MAX_SERIAL_LENGTH / 2 - 1)}a-`, 'a1'.repeat(MAX_SERIAL_LENGTH / 2)],
  ];

  it.each(CATASTROPHIC)('%s answers a %s-character near-miss and a match at once', (pattern, miss, hit) => {
    expect(serialPatternProblem(pattern)).toBeNull();
    const matches = serialMatcher(pattern);
    expect(matches?.(miss)).toBe(false);
    expect(matches?.(hit)).toBe(true);
    // A batch checks every serial of a range with the same matcher.
    expect(fieldsOf(expandSerialBatch({ serials: [miss, hit] }, { serialPattern: pattern }))).toEqual([
      'serials/0',
    ]);
  });

  it('refuses what only a backtracking engine can run (lookarounds, backreferences), naming it', () => {
    const inWords = (pattern: string) => translate('en', serialPatternProblem(pattern) ?? '');
    expect(inWords('(?=XH)XH[0-9]+')).toMatch(/RE2 syntax.*`\(\?=`/);
    expect(inWords('(a)\\1')).toMatch(/RE2 syntax.*`\\1`/);
    expect(inWords('([a-z')).toMatch(/RE2 syntax/);
    expect(serialPatternProblem('^XH[0-9]{10}$')).toBeNull();
  });

  it('keeps the meaning of ordinary patterns: the same answers as a whole-string JavaScript RegExp', () => {
    const patterns = [
      '^XH[0-9]{10}$',
      'SN-\\d{4}-[A-F]{2}',
      'A|B',
      '(?:IMEI)?\\d{3,5}',
      '[A-Z]{2}\\.[a-z_]+',
      '^(X|XH)[0-9]*$',
    ];
    const serial = fc.oneof(
      fc.stringMatching(/^(XH|SN-|IMEI|A|B|X)?[0-9A-Fa-z._-]{0,12}$/),
      fc.integer({ min: 0, max: 99_999 }).map((n) => `SN-${n}-AF`),
      fc.integer({ min: 0, max: 10 ** 10 - 1 }).map((n) => xh(n)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...patterns), serial, (pattern, s) => {
        expect(serialMatcher(pattern)?.(s)).toBe(new RegExp(`^(?:${pattern})$`, 'u').test(s));
      }),
      { numRuns: 2000 },
    );
  });
});
