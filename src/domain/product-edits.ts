/**
 * Which edits of a main product its plans on sale forbid. Pure: the product
 * route checks it before writing.
 *
 * A plan on sale was reviewed and priced against its product's retail price
 * (the claim cap; a plan's price must stay below it) and base warranty months
 * (when after_base_warranty cover starts, and so the dates shown before
 * paying). Changing either under a plan on sale would sell cover the approver
 * never saw, so they change only once no plan of the product is on sale.
 * Orders already sold are not at stake: they keep the values frozen on them.
 */
import { type FieldProblem, fieldProblem } from './errors.ts';

export interface PlanBoundProductFacts {
  retailPriceFen: number;
  baseWarrantyMonths: number;
}

/** The catalogue's `errors:field.planBound.<field>` says what each was approved as. */
const PLAN_BOUND_FIELDS: (keyof PlanBoundProductFacts)[] = ['retailPriceFen', 'baseWarrantyMonths'];

export function planBoundEditProblems(
  current: PlanBoundProductFacts,
  next: PlanBoundProductFacts,
  plansOnSale: number,
): FieldProblem[] {
  if (plansOnSale === 0) return [];
  return PLAN_BOUND_FIELDS.filter((field) => current[field] !== next[field]).map((field) =>
    fieldProblem(field, `planBound.${field}`, { count: plansOnSale }),
  );
}
