/**
 * Rules a warranty requirement (plan draft, patent module 5) must satisfy
 * against its main product. Pure: the API checks them before storing a draft
 * and the workflow's entry step checks them again.
 */
import { BENEFIT_COVERAGE_TYPES, type CoverageStartRule, type CoverageType } from './catalog.ts';
import { type FieldProblem, type FormRule, fieldProblem, ruleProblems } from './errors.ts';

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

/**
 * The requirement's rules, each over the fields it reads; those comparing with the product only when it is
 * known (a form whose product id the schema refused is still checked for everything else).
 */
export function requirementRules(product: ProductFacts | null): FormRule<RequirementInput>[] {
  const rules: FormRule<RequirementInput>[] = [
    {
      reads: ['termMonths'],
      check: ({ termMonths }) =>
        !Number.isInteger(termMonths) || termMonths < 1 || termMonths > MAX_TERM_MONTHS
          ? [fieldProblem('termMonths', 'termMonths', { max: MAX_TERM_MONTHS })]
          : [],
    },
    {
      reads: ['coverageStartRule'],
      check: ({ coverageStartRule: rule }) => {
        if (rule.kind === 'waiting_days')
          return !('days' in rule) || !Number.isInteger(rule.days) || (rule.days ?? 0) < 1
            ? [fieldProblem('coverageStartRule.days', 'waitingDays')]
            : [];
        return 'days' in rule && rule.days !== undefined
          ? [fieldProblem('coverageStartRule.days', 'daysNotTaken', { kind: rule.kind })]
          : [];
      },
    },
    {
      reads: ['priceFen'],
      check: ({ priceFen }) =>
        !Number.isSafeInteger(priceFen) || priceFen < 100 ? [fieldProblem('priceFen', 'minFen')] : [],
    },
    {
      reads: ['purchaseWindowDays'],
      check: ({ purchaseWindowDays: days }) =>
        !Number.isInteger(days) || days < 1 || days > 3650
          ? [fieldProblem('purchaseWindowDays', 'purchaseWindow')]
          : [],
    },
    {
      reads: ['coverageTypes'],
      check: ({ coverageTypes }) => [
        ...(coverageTypes.some((t) => BENEFIT_COVERAGE_TYPES.includes(t))
          ? []
          : [fieldProblem('coverageTypes', 'needBenefit')]),
        ...(new Set(coverageTypes).size !== coverageTypes.length
          ? [fieldProblem('coverageTypes', 'coverageTypeTwice')]
          : []),
      ],
    },
  ];
  if (!product) return rules;
  return [
    ...rules,
    {
      reads: ['currency'],
      check: ({ currency }) =>
        currency !== product.currency
          ? [fieldProblem('currency', 'currencyMismatch', { currency: product.currency })]
          : [],
    },
    {
      reads: ['priceFen'],
      // Below the product's price, once it is a price at all (the rule above says why it is not).
      check: ({ priceFen }) =>
        Number.isSafeInteger(priceFen) && priceFen >= 100 && priceFen >= product.retailPriceFen
          ? [fieldProblem('priceFen', 'belowRetail')]
          : [],
    },
  ];
}

export const draftRequirementProblems = (draft: RequirementInput, product: ProductFacts): FieldProblem[] =>
  ruleProblems(requirementRules(product), draft);

/** The rule in its stored form; call after draftRequirementProblems found nothing. */
export function coverageStartRuleOf(input: { kind: string; days?: number }): CoverageStartRule {
  if (input.kind === 'waiting_days') return { kind: 'waiting_days', days: input.days ?? 0 };
  if (input.kind === 'after_base_warranty' || input.kind === 'from_purchase') return { kind: input.kind };
  throw new Error(`unknown coverage start rule ${input.kind}`);
}
