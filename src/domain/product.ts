/**
 * What a main product's dates must satisfy. Pure: the product routes check a
 * launch date against it, and registration (registration.ts) refuses purchase
 * dates before the product was launched or before EARLIEST_PRODUCT_DATE.
 */
import { addMonths, compareDates, isCalendarDate } from './coverage.ts';
import { type FieldProblem, fieldProblem } from './errors.ts';

/** No product sold through Yanbao was launched or bought before this day. */
export const EARLIEST_PRODUCT_DATE = '2000-01-01';

/** Problems with a launch date entered on `today` (China date): from 2000-01-01 to a year from today. */
export function launchDateProblems(launchDate: string, today: string): FieldProblem[] {
  if (!isCalendarDate(launchDate)) return [fieldProblem('launchDate', 'notCalendarDate')];
  if (compareDates(launchDate, EARLIEST_PRODUCT_DATE) < 0)
    return [fieldProblem('launchDate', 'beforeDate', { date: EARLIEST_PRODUCT_DATE })];
  if (compareDates(launchDate, addMonths(today, 12)) > 0) return [fieldProblem('launchDate', 'launchFuture')];
  return [];
}
