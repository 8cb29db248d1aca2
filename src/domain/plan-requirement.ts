/**
 * Rules a warranty requirement (plan draft, patent module 5) must satisfy
 * against its main product. Pure: the API checks them before storing a draft
 * and the workflow's entry step checks them again.
 */
import { BENEFIT_COVERAGE_TYPES, type CoverageStartRule, type CoverageType } from './catalog.ts';
import { type FieldProblem, fieldProblem } from './errors.ts';

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
      ...fieldProblem('termMonths', 'termMonths', { max: MAX_TERM_MONTHS }),
    });
  const rule = draft.coverageStartRule;
  if (rule.kind === 'waiting_days') {
    if (!('days' in rule) || !Number.isInteger(rule.days) || (rule.days ?? 0) < 1)
      problems.push({
        ...fieldProblem('coverageStartRule.days', 'waitingDays'),
      });
  } else if ('days' in rule && rule.days !== undefined) {
    problems.push({
      ...fieldProblem('coverageStartRule.days', 'daysNotTaken', { kind: rule.kind }),
    });
  }
  if (draft.currency !== product.currency)
    problems.push(fieldProblem('currency', 'currencyMismatch', { currency: product.currency }));
  if (!Number.isSafeInteger(draft.priceFen) || draft.priceFen < 100)
    problems.push(fieldProblem('priceFen', 'minFen'));
  else if (draft.priceFen >= product.retailPriceFen) problems.push(fieldProblem('priceFen', 'belowRetail'));
  if (
    !Number.isInteger(draft.purchaseWindowDays) ||
    draft.purchaseWindowDays < 1 ||
    draft.purchaseWindowDays > 3650
  )
    problems.push(fieldProblem('purchaseWindowDays', 'purchaseWindow'));
  if (!draft.coverageTypes.some((t) => BENEFIT_COVERAGE_TYPES.includes(t)))
    problems.push({
      ...fieldProblem('coverageTypes', 'needBenefit'),
    });
  if (new Set(draft.coverageTypes).size !== draft.coverageTypes.length)
    problems.push(fieldProblem('coverageTypes', 'coverageTypeTwice'));
  return problems;
}

/** The rule in its stored form; call after draftRequirementProblems found nothing. */
export function coverageStartRuleOf(input: { kind: string; days?: number }): CoverageStartRule {
  if (input.kind === 'waiting_days') return { kind: 'waiting_days', days: input.days ?? 0 };
  if (input.kind === 'after_base_warranty' || input.kind === 'from_purchase') return { kind: input.kind };
  throw new Error(`unknown coverage start rule ${input.kind}`);
}
