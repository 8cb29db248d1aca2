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
import type { FieldProblem } from './errors.ts';

export interface PlanBoundProductFacts {
  retailPriceFen: number;
  baseWarrantyMonths: number;
}

const WHAT: Record<keyof PlanBoundProductFacts, string> = {
  retailPriceFen: 'the retail price (the claim cap of its plans)',
  baseWarrantyMonths: 'the base warranty (when its plans start covering)',
};

export function planBoundEditProblems(
  current: PlanBoundProductFacts,
  next: PlanBoundProductFacts,
  plansOnSale: number,
): FieldProblem[] {
  if (plansOnSale === 0) return [];
  const plans = plansOnSale === 1 ? '1 plan of this product is' : `${plansOnSale} plans of this product are`;
  return (Object.keys(WHAT) as (keyof PlanBoundProductFacts)[])
    .filter((field) => current[field] !== next[field])
    .map((field) => ({
      field,
      message: `cannot change while ${plans} on sale: ${WHAT[field]} was approved with them; retire the plans first`,
    }));
}
