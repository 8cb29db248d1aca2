import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoverageStartRule } from '../../src/domain/catalog.ts';
import {
  addDays,
  addMonths,
  type CoverageInput,
  chinaDate,
  chinaDateTime,
  compareDates,
  coverageWindow,
  daysBetween,
  daysInMonth,
  isCalendarDate,
  isWithinWindow,
  maxDate,
  minDate,
  soldCoverage,
} from '../../src/domain/coverage.ts';

const DAY_MS = 86_400_000;

// --- independent oracles (UTC-only Date arithmetic, never local time) ---------

/** Epoch day of a YYYY-MM-DD date, through the JS Date parser (UTC). */
function oracleEpochDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function oracleDate(epochDay: number): string {
  return new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
}

function ymd(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

// --- arbitraries --------------------------------------------------------------

/** Any day between 1900-01-01 and 2299-12-31 (a full 400-year Gregorian cycle). */
const anyDay = fc
  .integer({ min: oracleEpochDay('1900-01-01'), max: oracleEpochDay('2299-12-31') })
  .map(oracleDate);

/** Days at or near the end of a month, where clamping happens (29th, 30th, 31st, Feb 28/29). */
const monthEndDay = fc
  .record({
    year: fc.integer({ min: 1900, max: 2299 }),
    month: fc.integer({ min: 1, max: 12 }),
    back: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ year, month, back }) => {
    const day = daysInMonth(year, month) - back;
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  });

/** Leap days and the days around them. */
const leapDayish = fc
  .record({ cycle: fc.integer({ min: 475, max: 574 }), shift: fc.integer({ min: -2, max: 2 }) })
  .map(({ cycle, shift }) =>
    addDays(`${cycle * 4}-02-28`, shift + (cycle % 25 === 0 && cycle % 100 ? 0 : 1)),
  );

const date = fc.oneof(anyDay, monthEndDay, leapDayish);
const months = fc.integer({ min: 0, max: 240 });
const term = fc.integer({ min: 1, max: 120 });

const rule: fc.Arbitrary<CoverageStartRule> = fc.oneof(
  fc.constant<CoverageStartRule>({ kind: 'after_base_warranty' }),
  fc.constant<CoverageStartRule>({ kind: 'from_purchase' }),
  fc.integer({ min: 0, max: 400 }).map((days): CoverageStartRule => ({ kind: 'waiting_days', days })),
);

const coverageInput: fc.Arbitrary<CoverageInput> = fc.record({
  rule,
  productPurchaseDate: date,
  baseWarrantyMonths: fc.integer({ min: 0, max: 60 }),
  termMonths: term,
  paidOn: date,
});

/** Window length in days, both ends included. */
function windowLength(w: { start: string; end: string }): number {
  return daysBetween(w.start, w.end) + 1;
}

/**
 * Exact bounds of the window length (days, both ends included) for a term of
 * T months, over every start date. With start = (y, m, d), addMonths(start, T)
 * lands in month m + T on day min(d, daysInMonth), so
 *   length = S - c
 * where S is the sum of the lengths of the T months m .. m+T-1 and
 * c = max(0, d - daysInMonth(month m+T)) is the clamping, 0..3.
 * - T = 1: S is 28..31; c > 0 needs a short target month, e.g. Jan 31 -> Feb
 *   28 (S = 31, c = 3): [28, 31].
 * - T = 12k: S = 365k + the Feb 29s in the run, and c = 1 only from a Feb 29,
 *   which is then in the run: [365k + fewest, 365k + most leap days], e.g.
 *   60 months: 1825 (a run over 2100, not a leap year) .. 1827.
 * - other T: shortest runs contain a 28-day February, longest ones a 29-day
 *   February or a July-August pair; a leap day inside or outside a run widens
 *   the spread by one for 13..23 months.
 * The table is checked exhaustively over a whole 400-year cycle below.
 */
const EXACT_LENGTH_BOUNDS: ReadonlyMap<number, readonly [number, number]> = new Map([
  [1, [28, 31]],
  [2, [59, 62]],
  [3, [89, 92]],
  [4, [120, 123]],
  [5, [150, 153]],
  [6, [181, 184]],
  [7, [212, 215]],
  [8, [242, 245]],
  [9, [273, 276]],
  [10, [303, 306]],
  [11, [334, 337]],
  [12, [365, 366]],
  [13, [393, 397]],
  [18, [546, 550]],
  [23, [699, 703]],
  [24, [730, 731]],
  [36, [1095, 1096]],
  [48, [1460, 1461]],
  [60, [1825, 1827]],
  [120, [3651, 3653]],
]);

/**
 * For any T the length stays within 4.391875 days of T mean Gregorian months
 * (146097 days / 4800 months): |4800 * length - 146097 * T| <= 21081. Both
 * ends are reached (T = 2473 and T = 2327 months); found by enumerating every
 * T in one 4800-month cycle against every start month, with d = 1 for the
 * longest and d = last day of the month for the shortest window.
 */
function withinMeanMonthBound(length: number, T: number): boolean {
  return Math.abs(4800 * length - 146097 * T) <= 21081;
}

describe('calendar helpers', () => {
  it('recognises well-formed existing dates only', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-12-31', '2025-04-30']) {
      expect(isCalendarDate(ok), ok).toBe(true);
    }
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2025-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '0000-01-01',
      '2024-1-01',
      '24-01-01',
      ' 2024-01-01',
      '2024-01-01T00:00:00Z',
      '２０２４-01-01',
      '',
      20240101,
      null,
      undefined,
      new Date('2024-01-01T00:00:00Z'),
    ]) {
      expect(isCalendarDate(bad), String(bad)).toBe(false);
    }
  });

  it('knows month lengths and leap years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([
      31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
  });

  it('adds days across month ends, leap days and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-28', 2)).toBe('2024-03-01');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2023-01-01', 365)).toBe('2024-01-01');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2024-05-17', 0)).toBe('2024-05-17');
  });

  it('counts days between dates, signed', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-10', '2024-03-10')).toBe(0);
    expect(daysBetween('1970-01-01', '2000-03-01')).toBe(11017);
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2096-02-29', 48)).toBe('2100-02-28');
    expect(addMonths('1996-02-29', 48)).toBe('2000-02-29');
    expect(addMonths('2024-03-31', 1)).toBe('2024-04-30');
    expect(addMonths('2024-08-31', 1)).toBe('2024-09-30');
    expect(addMonths('2024-12-31', 2)).toBe('2025-02-28');
    expect(addMonths('2024-12-15', 1)).toBe('2025-01-15');
    expect(addMonths('2024-11-30', 3)).toBe('2025-02-28');
    expect(addMonths('2025-01-30', 0)).toBe('2025-01-30');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addMonths('2025-03-31', -13)).toBe('2024-02-29');
  });

  it('compares dates and picks the earlier or later one', () => {
    expect(compareDates('2024-02-29', '2024-03-01')).toBe(-1);
    expect(compareDates('2024-03-01', '2024-02-29')).toBe(1);
    expect(compareDates('2024-03-01', '2024-03-01')).toBe(0);
    expect(minDate('2025-01-01', '2024-12-31')).toBe('2024-12-31');
    expect(maxDate('2025-01-01', '2024-12-31')).toBe('2025-01-01');
    const w = { start: '2025-03-01', end: '2026-02-28' };
    expect(isWithinWindow('2025-03-01', w)).toBe(true);
    expect(isWithinWindow('2026-02-28', w)).toBe(true);
    expect(isWithinWindow('2025-02-28', w)).toBe(false);
    expect(isWithinWindow('2026-03-01', w)).toBe(false);
  });

  it('rejects malformed dates, non-integer amounts and results outside years 1-9999', () => {
    expect(() => addDays('2023-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2024/01/01', 1)).toThrow(RangeError);
    expect(() => addDays('2024-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('2024-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addMonths('2024-01-01', 0.5)).toThrow(RangeError);
    expect(() => addMonths('2024-01-01', Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => addMonths('2024-01-01', '1' as unknown as number)).toThrow(RangeError);
    expect(() => addMonths('2024-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('9999-12-01', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
    expect(() => daysBetween('2024-01-01', 'tomorrow')).toThrow(RangeError);
    expect(() => compareDates('2024-01-01', '2024-1-1')).toThrow(/second date/);
  });

  it('adds days and counts days exactly like UTC date arithmetic', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -50_000, max: 50_000 }), (d, n) => {
        const later = addDays(d, n);
        expect(later).toBe(oracleDate(oracleEpochDay(d) + n));
        expect(daysBetween(d, later)).toBe(n);
        expect(addDays(later, -n)).toBe(d);
        expect(isCalendarDate(later)).toBe(true);
      }),
    );
  });

  it('orders dates like their strings and like daysBetween', () => {
    fc.assert(
      fc.property(date, date, (a, b) => {
        const byString = a < b ? -1 : a > b ? 1 : 0;
        expect(compareDates(a, b)).toBe(byString);
        expect(Math.sign(daysBetween(b, a))).toBe(byString);
        expect(daysBetween(a, b)).toBe(oracleEpochDay(b) - oracleEpochDay(a));
      }),
    );
  });

  it('addMonths moves the month index by exactly m and keeps the day unless the month is shorter', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -600, max: 600 }), (d, m) => {
        const from = ymd(d);
        const to = ymd(addMonths(d, m));
        expect(to.year * 12 + to.month - (from.year * 12 + from.month)).toBe(m);
        expect(to.day).toBe(Math.min(from.day, daysInMonth(to.year, to.month)));
      }),
    );
  });

  it('addMonths is monotonic: d1 <= d2 implies addMonths(d1, m) <= addMonths(d2, m)', () => {
    fc.assert(
      fc.property(date, date, fc.integer({ min: -240, max: 240 }), (a, b, m) => {
        const [d1, d2] = compareDates(a, b) <= 0 ? [a, b] : [b, a];
        expect(compareDates(addMonths(d1, m), addMonths(d2, m))).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('addMonths is monotonic in the number of months', () => {
    fc.assert(
      fc.property(date, months, months, (d, a, b) => {
        const [m1, m2] = a <= b ? [a, b] : [b, a];
        expect(compareDates(addMonths(d, m1), addMonths(d, m2))).toBeLessThanOrEqual(0);
        if (m1 < m2) expect(compareDates(addMonths(d, m1), addMonths(d, m2))).toBe(-1);
      }),
    );
  });

  it('addMonths(d, a + b): stepping twice lands in the same month, never later, same day when nothing clamps', () => {
    fc.assert(
      fc.property(date, months, months, (d, a, b) => {
        const once = addMonths(d, a + b);
        const middle = addMonths(d, a);
        const twice = addMonths(middle, b);
        expect(twice.slice(0, 7)).toBe(once.slice(0, 7));
        expect(compareDates(twice, once)).toBeLessThanOrEqual(0);
        expect(daysBetween(twice, once)).toBeLessThanOrEqual(3);
        // Without clamping in the first step (always so for days 1-28) the two agree.
        if (ymd(middle).day === ymd(d).day) expect(twice).toBe(once);
        if (ymd(d).day <= 28) expect(twice).toBe(once);
      }),
    );
  });

  it('addMonths then subtracting the same months gives back the date or an earlier day of the same month', () => {
    fc.assert(
      fc.property(date, months, (d, m) => {
        const back = addMonths(addMonths(d, m), -m);
        expect(back.slice(0, 7)).toBe(d.slice(0, 7));
        expect(compareDates(back, d)).toBeLessThanOrEqual(0);
        if (ymd(d).day <= 28) expect(back).toBe(d);
      }),
    );
  });
});

describe('coverageWindow', () => {
  const base = (overrides: Partial<CoverageInput>): CoverageInput => ({
    rule: { kind: 'after_base_warranty' },
    productPurchaseDate: '2025-03-15',
    baseWarrantyMonths: 12,
    termMonths: 24,
    paidOn: '2025-03-20',
    ...overrides,
  });

  /** The window without the base warranty end, for the tables below. */
  const window = (input: CoverageInput) => {
    const { start, end } = coverageWindow(input);
    return { start, end };
  };

  describe('after_base_warranty', () => {
    it('starts the day after the base warranty ends, which is addMonths(purchase, months)', () => {
      // Bought 2025-03-15: the purchase day is not counted, so 12 months end on 2026-03-15.
      expect(coverageWindow(base({}))).toEqual({
        baseWarrantyEnd: '2026-03-15',
        start: '2026-03-16',
        end: '2028-03-15',
      });
    });

    it('ends the base warranty on the last day of a shorter month (29 February rule)', () => {
      // Bought on a leap day with 12 months: no 2025-02-29, so the base warranty ends 2025-02-28
      // and the plan starts the next day; the old code started on 2025-02-28 (one day of overlap).
      expect(
        coverageWindow(base({ productPurchaseDate: '2024-02-29', baseWarrantyMonths: 12, termMonths: 12 })),
      ).toEqual({ baseWarrantyEnd: '2025-02-28', start: '2025-03-01', end: '2026-02-28' });
      expect(
        coverageWindow(base({ productPurchaseDate: '2024-02-29', baseWarrantyMonths: 48, termMonths: 12 })),
      ).toEqual({ baseWarrantyEnd: '2028-02-29', start: '2028-03-01', end: '2029-02-28' });
      expect(
        coverageWindow(base({ productPurchaseDate: '2024-01-31', baseWarrantyMonths: 1, termMonths: 12 })),
      ).toEqual({ baseWarrantyEnd: '2024-02-29', start: '2024-03-01', end: '2025-02-28' });
      expect(
        window(base({ productPurchaseDate: '2023-01-31', baseWarrantyMonths: 1, termMonths: 1 })),
      ).toEqual({ start: '2023-03-01', end: '2023-03-31' });
      expect(
        window(base({ productPurchaseDate: '2024-08-31', baseWarrantyMonths: 6, termMonths: 6 })),
      ).toEqual({ start: '2025-03-01', end: '2025-08-31' });
    });

    it('crosses year ends', () => {
      expect(
        coverageWindow(base({ productPurchaseDate: '2023-12-31', baseWarrantyMonths: 12, termMonths: 12 })),
      ).toEqual({ baseWarrantyEnd: '2024-12-31', start: '2025-01-01', end: '2025-12-31' });
      expect(
        window(base({ productPurchaseDate: '2024-01-01', baseWarrantyMonths: 12, termMonths: 12 })),
      ).toEqual({ start: '2025-01-02', end: '2026-01-01' });
      expect(
        window(base({ productPurchaseDate: '2024-10-31', baseWarrantyMonths: 2, termMonths: 3 })),
      ).toEqual({ start: '2025-01-01', end: '2025-03-31' });
    });

    it('starts the day after purchase with no base warranty, and ignores the payment date', () => {
      expect(coverageWindow(base({ baseWarrantyMonths: 0, termMonths: 12 }))).toEqual({
        baseWarrantyEnd: '2025-03-15',
        start: '2025-03-16',
        end: '2026-03-15',
      });
      expect(coverageWindow(base({ paidOn: '2030-01-01' }))).toEqual(coverageWindow(base({})));
    });
  });

  describe('from_purchase', () => {
    const fromPurchase = (productPurchaseDate: string, termMonths: number) =>
      window(base({ rule: { kind: 'from_purchase' }, productPurchaseDate, termMonths }));

    it('starts on the purchase date whatever the base warranty', () => {
      expect(fromPurchase('2025-03-15', 24)).toEqual({ start: '2025-03-15', end: '2027-03-14' });
      expect(fromPurchase('2024-01-01', 12)).toEqual({ start: '2024-01-01', end: '2024-12-31' });
    });

    it('handles month ends, leap days and year ends', () => {
      // A term crossing Feb 29 is 366 days long.
      expect(fromPurchase('2024-01-15', 12)).toEqual({ start: '2024-01-15', end: '2025-01-14' });
      expect(daysBetween('2024-01-15', '2025-01-14') + 1).toBe(366);
      // Ends on a leap day.
      expect(fromPurchase('2023-03-01', 12)).toEqual({ start: '2023-03-01', end: '2024-02-29' });
      // Starts on a leap day: the anniversary clamps to Feb 28.
      expect(fromPurchase('2024-02-29', 12)).toEqual({ start: '2024-02-29', end: '2025-02-27' });
      expect(fromPurchase('2024-02-29', 1)).toEqual({ start: '2024-02-29', end: '2024-03-28' });
      expect(fromPurchase('2024-01-31', 1)).toEqual({ start: '2024-01-31', end: '2024-02-28' });
      expect(fromPurchase('2023-01-31', 1)).toEqual({ start: '2023-01-31', end: '2023-02-27' });
      expect(fromPurchase('2024-12-31', 1)).toEqual({ start: '2024-12-31', end: '2025-01-30' });
      expect(fromPurchase('2024-12-31', 2)).toEqual({ start: '2024-12-31', end: '2025-02-27' });
      expect(fromPurchase('2099-12-31', 1)).toEqual({ start: '2099-12-31', end: '2100-01-30' });
      expect(fromPurchase('2100-01-31', 1)).toEqual({ start: '2100-01-31', end: '2100-02-27' });
    });
  });

  describe('waiting_days', () => {
    const waiting = (paidOn: string, days: number, termMonths = 12) =>
      window(base({ rule: { kind: 'waiting_days', days }, paidOn, termMonths }));

    it('starts N days after payment, whatever the product purchase date and base warranty', () => {
      expect(waiting('2025-03-20', 30)).toEqual({ start: '2025-04-19', end: '2026-04-18' });
      expect(waiting('2025-03-20', 0)).toEqual({ start: '2025-03-20', end: '2026-03-19' });
    });

    it('crosses leap days and year ends', () => {
      expect(waiting('2024-02-20', 9)).toEqual({ start: '2024-02-29', end: '2025-02-27' });
      expect(waiting('2024-02-20', 15)).toEqual({ start: '2024-03-06', end: '2025-03-05' });
      expect(waiting('2023-02-20', 15)).toEqual({ start: '2023-03-07', end: '2024-03-06' });
      expect(waiting('2024-12-25', 7, 1)).toEqual({ start: '2025-01-01', end: '2025-01-31' });
      expect(waiting('2024-12-01', 30, 2)).toEqual({ start: '2024-12-31', end: '2025-02-27' });
    });
  });

  it('validates its input', () => {
    const bad: Array<Partial<CoverageInput>> = [
      { productPurchaseDate: '2025-02-29' },
      { productPurchaseDate: '2025-3-1' },
      { productPurchaseDate: '' },
      { paidOn: '2025-13-01' },
      { paidOn: '2025-03-20T10:00:00+08:00' },
      { termMonths: 0 },
      { termMonths: -12 },
      { termMonths: 1.5 },
      { termMonths: Number.NaN },
      { termMonths: '12' as unknown as number },
      { baseWarrantyMonths: -1 },
      { baseWarrantyMonths: 0.5 },
      { rule: { kind: 'waiting_days', days: -1 } },
      { rule: { kind: 'waiting_days', days: 2.5 } },
      { rule: { kind: 'waiting_days' } as unknown as CoverageStartRule },
      { rule: { kind: 'whenever' } as unknown as CoverageStartRule },
      { rule: undefined as unknown as CoverageStartRule },
      // Results past 9999-12-31.
      { productPurchaseDate: '9999-06-01', baseWarrantyMonths: 12 },
      { rule: { kind: 'from_purchase' }, productPurchaseDate: '9999-06-01', termMonths: 12 },
    ];
    for (const overrides of bad) {
      expect(() => coverageWindow(base(overrides)), JSON.stringify(overrides)).toThrow(RangeError);
    }
  });

  it('names the offending field', () => {
    expect(() => coverageWindow(base({ paidOn: 'yesterday' }))).toThrow(/paidOn/);
    expect(() => coverageWindow(base({ productPurchaseDate: '2025-02-30' }))).toThrow(/productPurchaseDate/);
    expect(() => coverageWindow(base({ termMonths: 0 }))).toThrow(/termMonths/);
    expect(() => coverageWindow(base({ baseWarrantyMonths: -3 }))).toThrow(/baseWarrantyMonths/);
    expect(() => coverageWindow(base({ rule: { kind: 'waiting_days', days: -1 } }))).toThrow(/days/);
  });

  it('every window ends on or after its start and the day before addMonths(start, term)', () => {
    fc.assert(
      fc.property(coverageInput, (input) => {
        const w = coverageWindow(input);
        expect(compareDates(w.start, w.end)).toBeLessThanOrEqual(0);
        expect(addDays(w.end, 1)).toBe(addMonths(w.start, input.termMonths));
        expect(isWithinWindow(w.start, w) && isWithinWindow(w.end, w)).toBe(true);
      }),
    );
  });

  it('window length lies within the exact bounds for its term', () => {
    const tabulated = fc.constantFrom(...EXACT_LENGTH_BOUNDS.keys());
    fc.assert(
      fc.property(coverageInput, tabulated, (input, termMonths) => {
        const length = windowLength(coverageWindow({ ...input, termMonths }));
        const [min, max] = EXACT_LENGTH_BOUNDS.get(termMonths) as readonly [number, number];
        expect(length).toBeGreaterThanOrEqual(min);
        expect(length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('window length is within 4.4 days of term x mean Gregorian month, for any term', () => {
    fc.assert(
      fc.property(coverageInput, fc.integer({ min: 1, max: 4800 }), (input, termMonths) => {
        const length = windowLength(coverageWindow({ ...input, termMonths }));
        expect(withinMeanMonthBound(length, termMonths)).toBe(true);
        // The naive bounds follow (and are far looser past one month).
        expect(length).toBeGreaterThanOrEqual(28 * termMonths);
        expect(length).toBeLessThanOrEqual(31 * termMonths);
      }),
    );
  });

  it('the tabulated bounds are exact over a whole 400-year cycle of start dates', () => {
    // The length only depends on the day through the clamping, which can only
    // shorten it, so the first day of each month gives that month's longest
    // window and its last day the shortest.
    for (const [termMonths, [min, max]] of EXACT_LENGTH_BOUNDS) {
      let shortest = Number.POSITIVE_INFINITY;
      let longest = Number.NEGATIVE_INFINITY;
      for (let year = 2000; year < 2400; year++) {
        for (let month = 1; month <= 12; month++) {
          const mm = String(month).padStart(2, '0');
          for (const day of [1, daysInMonth(year, month)]) {
            const start = `${year}-${mm}-${String(day).padStart(2, '0')}`;
            const length = daysBetween(start, addMonths(start, termMonths));
            shortest = Math.min(shortest, length);
            longest = Math.max(longest, length);
          }
        }
      }
      expect([termMonths, shortest, longest]).toEqual([termMonths, min, max]);
    }
  });

  it('after_base_warranty starts exactly the day after the base warranty ends: no overlap, no gap', () => {
    // Every purchase date, month ends and leap days included (the `date` arbitrary leans on them).
    fc.assert(
      fc.property(coverageInput, (input) => {
        const w = coverageWindow({ ...input, rule: { kind: 'after_base_warranty' } });
        const purchase = input.productPurchaseDate;
        expect(w.baseWarrantyEnd).toBe(addMonths(purchase, input.baseWarrantyMonths));
        expect(daysBetween(w.baseWarrantyEnd, w.start)).toBe(1);
        expect(isWithinWindow(w.baseWarrantyEnd, w)).toBe(false);
        expect(compareDates(w.start, purchase)).toBe(1);
        if (input.baseWarrantyMonths > 0)
          expect(daysBetween(purchase, w.baseWarrantyEnd)).toBeGreaterThanOrEqual(
            28 * input.baseWarrantyMonths,
          );
      }),
    );
  });

  it('every rule gives a contiguous window: end >= start and addDays(end, 1) = addMonths(start, term)', () => {
    // Month ends and 29 February as purchase and payment dates, for each of the three rules.
    const edgeDay = fc.oneof(monthEndDay, leapDayish);
    fc.assert(
      fc.property(coverageInput, edgeDay, edgeDay, (input, purchase, paidOn) => {
        for (const r of [input.rule, { kind: 'after_base_warranty' }, { kind: 'from_purchase' }] as const) {
          const w = coverageWindow({ ...input, rule: r, productPurchaseDate: purchase, paidOn });
          expect(compareDates(w.start, w.end)).toBeLessThanOrEqual(0);
          expect(addDays(w.end, 1)).toBe(addMonths(w.start, input.termMonths));
          expect(w.baseWarrantyEnd).toBe(addMonths(purchase, input.baseWarrantyMonths));
        }
      }),
    );
  });

  it('waiting_days starts exactly N days after payment', () => {
    fc.assert(
      fc.property(coverageInput, fc.integer({ min: 0, max: 3650 }), (input, days) => {
        const w = coverageWindow({ ...input, rule: { kind: 'waiting_days', days } });
        expect(daysBetween(input.paidOn, w.start)).toBe(days);
        expect(w.start).toBe(oracleDate(oracleEpochDay(input.paidOn) + days));
      }),
    );
  });

  it('from_purchase starts on the purchase date exactly', () => {
    fc.assert(
      fc.property(coverageInput, (input) => {
        expect(coverageWindow({ ...input, rule: { kind: 'from_purchase' } }).start).toBe(
          input.productPurchaseDate,
        );
      }),
    );
  });
});

describe('soldCoverage', () => {
  const input = (over: Partial<CoverageInput & { registeredOn: string }> = {}) => ({
    rule: { kind: 'from_purchase' } as CoverageStartRule,
    productPurchaseDate: '2026-11-23',
    baseWarrantyMonths: 12,
    termMonths: 24,
    paidOn: '2026-12-03',
    registeredOn: '2026-12-03',
    ...over,
  });

  it('sells cover that has already started from the registration day, keeping its end', () => {
    expect(soldCoverage(input())).toEqual({
      baseWarrantyEnd: '2027-11-23',
      ruleStart: '2026-11-23',
      start: '2026-12-03',
      end: '2028-11-22',
    });
  });

  it('leaves cover that starts on the registration day or later alone', () => {
    expect(soldCoverage(input({ productPurchaseDate: '2026-12-03' }))).toMatchObject({
      ruleStart: '2026-12-03',
      start: '2026-12-03',
    });
    expect(soldCoverage(input({ rule: { kind: 'after_base_warranty' } }))).toMatchObject({
      ruleStart: '2027-11-24',
      start: '2027-11-24',
      end: '2029-11-23',
    });
  });

  it('is the rule window with its start moved to max(start, registeredOn)', () => {
    fc.assert(
      fc.property(coverageInput, date, (cover, registeredOn) => {
        const w = coverageWindow(cover);
        const sold = soldCoverage({ ...cover, registeredOn });
        expect(sold).toEqual({ ...w, ruleStart: w.start, start: maxDate(w.start, registeredOn) });
      }),
    );
  });
});

describe('chinaDate', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('turns over at 16:00 UTC', () => {
    expect(chinaDate(new Date('2024-12-31T15:59:59Z'))).toBe('2024-12-31');
    expect(chinaDate(new Date('2024-12-31T15:59:59.999Z'))).toBe('2024-12-31');
    expect(chinaDate(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(chinaDate(new Date('2024-02-28T16:00:00Z'))).toBe('2024-02-29');
    expect(chinaDate(new Date('2024-02-29T15:59:59Z'))).toBe('2024-02-29');
    expect(chinaDate(new Date('2024-02-29T16:00:00Z'))).toBe('2024-03-01');
    expect(chinaDate(new Date('2025-06-30T23:59:59Z'))).toBe('2025-07-01');
    expect(chinaDate(new Date('2025-07-01T00:00:00+08:00'))).toBe('2025-07-01');
  });

  it('gives the wall-clock time too', () => {
    expect(chinaDateTime(new Date('2024-12-31T15:59:59Z'))).toBe('2024-12-31 23:59:59');
    expect(chinaDateTime(new Date('2024-12-31T16:00:00.999Z'))).toBe('2025-01-01 00:00:00');
  });

  it('does not depend on the process time zone', () => {
    const instants = ['2024-12-31T15:59:59Z', '2024-12-31T16:00:00Z', '2025-03-30T01:30:00Z'];
    const expected = ['2024-12-31', '2025-01-01', '2025-03-30'];
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Europe/Berlin', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      expect(
        instants.map((at) => chinaDate(new Date(at))),
        tz,
      ).toEqual(expected);
    }
  });

  it('every instant from 16:00 UTC the day before up to 16:00 UTC is that China date', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: DAY_MS - 1 }), (day, offset) => {
        const midnightInChina = Date.parse(`${day}T00:00:00+08:00`);
        expect(chinaDate(new Date(midnightInChina + offset))).toBe(day);
        expect(chinaDate(new Date(midnightInChina - 1))).toBe(addDays(day, -1));
      }),
    );
  });

  it('rejects an invalid Date', () => {
    expect(() => chinaDate(new Date('not a date'))).toThrow(RangeError);
    expect(() => chinaDate('2024-01-01' as unknown as Date)).toThrow(RangeError);
  });
});
