/**
 * Rules a warranty requirement (plan draft, patent module 5) must satisfy
 * against its main product. Pure: the API checks them before storing a draft
 * and the workflow's entry step checks them again.
 */
import { BENEFIT_COVERAGE_TYPES, type CoverageStartRule, type CoverageType } from './catalog.ts';
import type { FieldProblem } from './errors.ts';

export interface RequirementInput {
  termMonths: number;
  coverageStartRule: CoverageStartRule | { kind: string; days?: number };
  priceFen: number;
  currency: string;
  purchaseWindowDays: number;
  coverageTypes: readonly CoverageType[];
}

export interface ProductFacts {
  retailPriceFen: number;
  currency: string;
}

export const MAX_TERM_MONTHS = 120;

export function draftRequirementProblems(draft: RequirementInput, product: ProductFacts): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(draft.termMonths) || draft.termMonths < 1 || draft.termMonths > MAX_TERM_MONTHS)
    problems.push({
      field: 'termMonths',
      message: `must be a whole number of months from 1 to ${MAX_TERM_MONTHS}`,
    });
  const rule = draft.coverageStartRule;
  if (rule.kind === 'waiting_days') {
    if (!('days' in rule) || !Number.isInteger(rule.days) || (rule.days ?? 0) < 1)
      problems.push({
        field: 'coverageStartRule.days',
        message: 'waiting_days needs a number of days from 1 to 365',
      });
  } else if ('days' in rule && rule.days !== undefined) {
    problems.push({
      field: 'coverageStartRule.days',
      message: `only waiting_days takes days, not ${rule.kind}`,
    });
  }
  if (draft.currency !== product.currency)
    problems.push({ field: 'currency', message: `must be the product's currency ${product.currency}` });
  if (!Number.isSafeInteger(draft.priceFen) || draft.priceFen < 100)
    problems.push({ field: 'priceFen', message: 'must be at least 100 fen (¥1.00)' });
  else if (draft.priceFen >= product.retailPriceFen)
    problems.push({ field: 'priceFen', message: "must be below the main product's retail price" });
  if (
    !Number.isInteger(draft.purchaseWindowDays) ||
    draft.purchaseWindowDays < 1 ||
    draft.purchaseWindowDays > 3650
  )
    problems.push({ field: 'purchaseWindowDays', message: 'must be from 1 to 3650 days' });
  if (!draft.coverageTypes.some((t) => BENEFIT_COVERAGE_TYPES.includes(t)))
    problems.push({
      field: 'coverageTypes',
      message: 'must include at least one benefit (what gets repaired)',
    });
  if (new Set(draft.coverageTypes).size !== draft.coverageTypes.length)
    problems.push({ field: 'coverageTypes', message: 'lists a coverage type twice' });
  return problems;
}

/** The rule in its stored form; call after draftRequirementProblems found nothing. */
export function coverageStartRuleOf(input: { kind: string; days?: number }): CoverageStartRule {
  if (input.kind === 'waiting_days') return { kind: 'waiting_days', days: input.days ?? 0 };
  if (input.kind === 'after_base_warranty' || input.kind === 'from_purchase') return { kind: input.kind };
  throw new Error(`unknown coverage start rule ${input.kind}`);
}
