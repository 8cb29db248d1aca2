/**
 * Coverage dates (patent part 10, "order recording"): when a bought plan
 * starts and ends covering the unit, from the plan's coverage start rule.
 *
 * Everything here works on calendar dates written 'YYYY-MM-DD' (years
 * 0001–9999, proleptic Gregorian calendar) with integer arithmetic on
 * year/month/day and on a day count since 1970-01-01. No Date object in a
 * local time zone is ever involved, so the results do not depend on the
 * machine's TZ setting; the only instant-to-date conversion, chinaDate(), is
 * an explicit fixed UTC+8 offset.
 *
 * The helpers (addDays, addMonths, compareDates, daysBetween) are meant to be
 * reused for the cooling-off period and pro-rated refunds.
 */
import type { CoverageStartRule } from './catalog.ts';

export interface CoverageInput {
  rule: CoverageStartRule;
  /** YYYY-MM-DD the main product was bought */
  productPurchaseDate: string;
  baseWarrantyMonths: number;
  termMonths: number;
  /** YYYY-MM-DD (China time) the plan was paid */
  paidOn: string;
}

/** First and last day, both inclusive, as YYYY-MM-DD. */
export interface CoverageWindow {
  start: string;
  end: string;
}

/** A plan's window with the last day of the manufacturer's base warranty it follows on from. */
export interface CoverageDates extends CoverageWindow {
  baseWarrantyEnd: string;
}

/** The window an order actually covers, with where its start rule alone would have begun. */
export interface SoldCoverage extends CoverageDates {
  ruleStart: string;
}

interface Ymd {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;
/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a well-formed, existing calendar date 'YYYY-MM-DD' in years 0001–9999. */
export function isCalendarDate(value: unknown): value is string {
  return typeof value === 'string' && parseOrNull(value) !== null;
}

/** Throws a RangeError naming `what` unless value is a valid 'YYYY-MM-DD' calendar date. */
export function assertCalendarDate(value: unknown, what = 'date'): asserts value is string {
  if (!isCalendarDate(value)) {
    throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${describe(value)}`);
  }
}

/** a < b: negative, a = b: 0, a > b: positive (-1, 0 or 1). */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const x = toEpochDay(parse(a, 'first date'));
  const y = toEpochDay(parse(b, 'second date'));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The earlier of two dates. */
export function minDate(a: string, b: string): string {
  return compareDates(a, b) <= 0 ? a : b;
}

/** The later of two dates. */
export function maxDate(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}

/**
 * Whole days from `from` to `to`: positive when `to` is later, negative when
 * earlier, 0 on the same day. daysBetween(d, addDays(d, n)) === n.
 */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(parse(to, 'to')) - toEpochDay(parse(from, 'from'));
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  const ymd = parse(date, 'date');
  assertInteger(days, 'days');
  return format(fromEpochDay(toEpochDay(ymd) + days));
}

/**
 * The same day of the month `months` months later (earlier when negative),
 * clamped to the last day of the target month when it has fewer days:
 * 2024-01-31 + 1 = 2024-02-29, 2023-01-31 + 1 = 2023-02-28,
 * 2024-02-29 + 12 = 2025-02-28.
 *
 * Because of the clamping, adding in two steps can land earlier than adding
 * at once (2024-01-31 +1 +1 = 2024-03-29, +2 = 2024-03-31), never later.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parse(date, 'date');
  assertInteger(months, 'months');
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  checkYear(targetYear);
  return format({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/**
 * The window a plan covers, by its start rule, and when the base warranty ends.
 *
 * Periods follow the PRC Civil Code (arts. 201-203): the day of purchase is not
 * counted, and a period of months ends on the corresponding day of its last
 * month, or that month's last day when it has none. So the base warranty ends
 * on baseWarrantyEnd = addMonths(productPurchaseDate, baseWarrantyMonths):
 * bought 2024-03-15 with 12 months, it ends 2025-03-15; bought 2024-02-29, it
 * ends 2025-02-28.
 * - after_base_warranty: start = baseWarrantyEnd + 1 day (no overlap, no gap);
 * - from_purchase: start = productPurchaseDate;
 * - waiting_days N: start = paidOn + N days.
 * In every case end = addMonths(start, termMonths) - 1 day, so a 12-month plan
 * starting 2025-03-01 ends 2026-02-28.
 *
 * Throws a RangeError on a malformed date, a term that is not a positive
 * integer, base warranty months or waiting days that are not non-negative
 * integers, an unknown rule, or a result outside years 0001–9999.
 */
export function coverageWindow(input: CoverageInput): CoverageDates {
  const { rule, productPurchaseDate, baseWarrantyMonths, termMonths, paidOn } = input;
  assertCalendarDate(productPurchaseDate, 'productPurchaseDate');
  assertCalendarDate(paidOn, 'paidOn');
  assertNonNegativeInteger(baseWarrantyMonths, 'baseWarrantyMonths');
  assertNonNegativeInteger(termMonths, 'termMonths');
  if (termMonths === 0) throw new RangeError('termMonths must be at least 1');

  const baseWarrantyEnd = addMonths(productPurchaseDate, baseWarrantyMonths);
  let start: string;
  switch (rule?.kind) {
    case 'after_base_warranty':
      start = addDays(baseWarrantyEnd, 1);
      break;
    case 'from_purchase':
      start = productPurchaseDate;
      break;
    case 'waiting_days':
      assertNonNegativeInteger(rule.days, 'rule.days');
      start = addDays(paidOn, rule.days);
      break;
    default:
      throw new RangeError(`unknown coverage start rule ${describe(rule)}`);
  }
  return { baseWarrantyEnd, start, end: addDays(addMonths(start, termMonths), -1) };
}

/**
 * What an order registered on `registeredOn` (China date) covers: the rule's
 * window, but cover that has already started is sold from the registration
 * day on (the end stays; the price is pro-rated to match, see coverageOffer in
 * registration.ts). The window may have ended already: then start > end, which
 * the registration rule refuses before anything is sold.
 */
export function soldCoverage(input: CoverageInput & { registeredOn: string }): SoldCoverage {
  assertCalendarDate(input.registeredOn, 'registeredOn');
  const dates = coverageWindow(input);
  return { ...dates, ruleStart: dates.start, start: maxDate(dates.start, input.registeredOn) };
}

/** True when `date` lies in the window (both ends inclusive). */
export function isWithinWindow(date: string, window: CoverageWindow): boolean {
  return compareDates(window.start, date) <= 0 && compareDates(date, window.end) <= 0;
}

/** The calendar date in China (Asia/Shanghai, UTC+8, no DST) at an instant, YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return chinaDateTime(at).slice(0, 10);
}

/** The wall-clock time in China at an instant, 'YYYY-MM-DD HH:mm:ss'. */
export function chinaDateTime(at: Date): string {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`expected a valid Date, got ${describe(at)}`);
  const shifted = new Date(ms + CHINA_OFFSET_MS);
  const year = shifted.getUTCFullYear();
  checkYear(year);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = format({ year, month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() });
  return `${date} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`;
}

// --- internals ---------------------------------------------------------------

function parseOrNull(value: string): Ymd | null {
  const match = ISO_DATE.exec(value);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function parse(value: unknown, what: string): Ymd {
  const ymd = typeof value === 'string' ? parseOrNull(value) : null;
  if (ymd === null) {
    throw new RangeError(`${what} must be a calendar date YYYY-MM-DD, got ${describe(value)}`);
  }
  return ymd;
}

function format({ year, month, day }: Ymd): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function checkYear(year: number): void {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`date out of range: year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

function assertInteger(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be an integer, got ${describe(value)}`);
  }
}

function assertNonNegativeInteger(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil: integer-only, exact for every year).
 */
function toEpochDay({ year, month, day }: Ymd): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of toEpochDay (civil_from_days); throws when the year leaves 0001–9999. */
function fromEpochDay(epochDay: number): Ymd {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  checkYear(year);
  return { year, month, day };
}
