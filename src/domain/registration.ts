/**
 * What a consumer's registration must satisfy (purchase step 1). Pure: the
 * consumer page and the API check it before anything starts, and the
 * registration activity checks it again against the stored plan.
 */
import { addDays, daysBetween } from './coverage.ts';
import type { FieldProblem } from './errors.ts';
import { normalizeMobile } from './phone.ts';
import { serialMatcher } from './serial-batch.ts';

export interface RegistrationFacts {
  consumerName: string;
  consumerPhone: string;
  serialNumber: string;
  productPurchaseDate: string;
  serialPattern: string | null;
  purchaseWindowDays: number;
  /** Today in China, YYYY-MM-DD */
  today: string;
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
} {
  const problems: FieldProblem[] = [];
  if (facts.consumerName.trim().length === 0)
    problems.push({ field: 'consumerName', message: 'must not be blank' });
  const phone = normalizeMobile(facts.consumerPhone);
  if (!phone) problems.push({ field: 'consumerPhone', message: 'is not a valid mobile phone number' });
  const matchesPattern = storedSerialMatcher(facts.serialPattern);
  if (matchesPattern && !matchesPattern(facts.serialNumber))
    problems.push({ field: 'serialNumber', message: "does not look like this product's serial numbers" });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(facts.productPurchaseDate)) {
    problems.push({ field: 'productPurchaseDate', message: 'must be a date (YYYY-MM-DD)' });
  } else {
    try {
      if (facts.productPurchaseDate > facts.today)
        problems.push({ field: 'productPurchaseDate', message: 'is in the future' });
      else if (daysBetween(facts.productPurchaseDate, facts.today) > facts.purchaseWindowDays)
        problems.push({
          field: 'productPurchaseDate',
          message: `is more than ${facts.purchaseWindowDays} days ago: this plan can only be bought until ${addDays(facts.productPurchaseDate, facts.purchaseWindowDays)}`,
        });
    } catch {
      problems.push({ field: 'productPurchaseDate', message: 'is not a calendar date' });
    }
  }
  return { problems, phone };
}
