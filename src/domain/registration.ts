/**
 * What a consumer's registration must satisfy (purchase step 1), and what it
 * buys. Pure: the consumer page, the coverage preview and the API check it
 * before anything starts, and the registration activity checks it again
 * against the stored plan.
 */
import type { CoverageStartRule } from './catalog.ts';
import { addDays, compareDates, daysBetween, isCalendarDate, soldCoverage } from './coverage.ts';
import { type FieldProblem, fieldProblem } from './errors.ts';
import { normalizeMobile } from './phone.ts';
import { EARLIEST_PRODUCT_DATE } from './product.ts';
import { remainingShare } from './refund.ts';
import { serialMatcher } from './serial-batch.ts';

/**
 * Cover that has already started is sold only while at least this many days
 * of it remain (counted from the registration day through the coverage end,
 * both inclusive), or the whole term when that is shorter (1-month plans).
 */
export const MIN_COVER_DAYS = 30;

/** The plan, product and date facts that decide what a purchase date buys. */
export interface OfferFacts {
  productPurchaseDate: string;
  rule: CoverageStartRule;
  baseWarrantyMonths: number;
  termMonths: number;
  /** The plan's price for its whole term, integer fen. */
  priceFen: number;
  /** YYYY-MM-DD the product was launched. */
  launchDate: string;
  purchaseWindowDays: number;
  /** Today in China, YYYY-MM-DD: the registration day (and, for waiting_days, the expected payment day). */
  today: string;
}

/** What a registration on `today` buys. */
export interface CoverageOffer {
  baseWarrantyEnd: string;
  coverageStart: string;
  coverageEnd: string;
  /** Days of the whole window the start rule gives. */
  termDays: number;
  /** Days this registration buys: termDays, or fewer when the cover has already started. */
  coveredDays: number;
  /** The price: priceFen, pro-rated by coveredDays / termDays when the cover has already started. */
  amountFen: number;
}

/**
 * The purchase date checked (a date, not before 2000 or the product's launch,
 * not in the future, inside the purchase window, leaving enough cover) and,
 * when it passes, what it buys. A window that starts today or later is sold
 * whole at full price; one that has started is sold from today at
 * floor(priceFen × coveredDays / termDays), the refund rule's own share, so
 * buying on a day costs what cancelling on that day would return.
 */
export function coverageOffer(facts: OfferFacts): {
  problem: FieldProblem | null;
  offer: CoverageOffer | null;
} {
  const refuse = (key: string, params?: Record<string, unknown>) => ({
    problem: fieldProblem('productPurchaseDate', key, params),
    offer: null,
  });
  const date = facts.productPurchaseDate;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return refuse('dateFormat');
  if (!isCalendarDate(date)) return refuse('notCalendarDate');
  if (compareDates(date, EARLIEST_PRODUCT_DATE) < 0)
    return refuse('beforeDate', { date: EARLIEST_PRODUCT_DATE });
  if (compareDates(date, facts.launchDate) < 0) return refuse('beforeLaunch', { date: facts.launchDate });
  if (compareDates(date, facts.today) > 0) return refuse('inFuture');
  if (daysBetween(date, facts.today) > facts.purchaseWindowDays)
    return refuse('pastWindow', {
      days: facts.purchaseWindowDays,
      until: addDays(date, facts.purchaseWindowDays),
    });

  const sold = soldCoverage({
    rule: facts.rule,
    productPurchaseDate: date,
    baseWarrantyMonths: facts.baseWarrantyMonths,
    termMonths: facts.termMonths,
    paidOn: facts.today,
    registeredOn: facts.today,
  });
  const { totalDays, remainingDays, proRatedFen } = remainingShare(
    facts.priceFen,
    { start: sold.ruleStart, end: sold.end },
    facts.today,
  );
  const needed = Math.min(MIN_COVER_DAYS, totalDays);
  if (remainingDays < needed) {
    const lastDay = addDays(sold.end, 1 - needed);
    return remainingDays === 0
      ? refuse('noCoverLeft', { end: sold.end, until: lastDay })
      : refuse('tooLittleCover', { days: remainingDays, end: sold.end, needed, until: lastDay });
  }
  return {
    problem: null,
    offer: {
      baseWarrantyEnd: sold.baseWarrantyEnd,
      coverageStart: sold.start,
      coverageEnd: sold.end,
      termDays: totalDays,
      coveredDays: remainingDays,
      amountFen: proRatedFen,
    },
  };
}

export interface RegistrationFacts extends OfferFacts {
  consumerName: string;
  consumerPhone: string;
  serialNumber: string;
  serialPattern: string | null;
}

/**
 * A pattern stored before product entry checked patterns with RE2 may not
 * compile (a lookahead, a backreference). The consumer cannot fix it and the
 * manufacturer is told when the product is next saved, so such a pattern
 * checks nothing rather than refusing every sale.
 */
function storedSerialMatcher(pattern: string | null): ((serial: string) => boolean) | null {
  try {
    return serialMatcher(pattern);
  } catch {
    return null;
  }
}

export function registrationProblems(facts: RegistrationFacts): {
  problems: FieldProblem[];
  phone: string | null;
  offer: CoverageOffer | null;
} {
  const problems: FieldProblem[] = [];
  if (facts.consumerName.trim().length === 0) problems.push(fieldProblem('consumerName', 'blank'));
  const phone = normalizeMobile(facts.consumerPhone);
  if (!phone) problems.push(fieldProblem('consumerPhone', 'phone'));
  const matchesPattern = storedSerialMatcher(facts.serialPattern);
  if (matchesPattern && !matchesPattern(facts.serialNumber))
    problems.push(fieldProblem('serialNumber', 'serialShape'));
  const { problem, offer } = coverageOffer(facts);
  if (problem) problems.push(problem);
  return { problems, phone, offer };
}
