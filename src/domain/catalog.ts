/**
 * The fixed vocabularies of the warranty domain: product categories, coverage
 * types and the rules for when coverage starts. Everything else (clauses,
 * cases, drafts) is tagged with these, so they live in one place.
 */

export const PRODUCT_CATEGORIES = [
  'smartphone',
  'laptop',
  'tablet',
  'tv',
  'refrigerator',
  'washing_machine',
  'air_conditioner',
  'small_kitchen_appliance',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

/**
 * Coverage types that describe what is repaired; the others are terms every
 * plan carries (exclusions, how to claim, how to cancel, general terms).
 */
const BENEFITS = [
  'parts_labour',
  'accidental_damage',
  'liquid_damage',
  'screen',
  'battery',
  'on_site_service',
  'replacement',
] as const;

export const COVERAGE_TYPES = [
  ...BENEFITS,
  'exclusions',
  'claim_procedure',
  'cancellation_refund',
  'general_terms',
] as const;
export type CoverageType = (typeof COVERAGE_TYPES)[number];

export const BENEFIT_COVERAGE_TYPES: readonly CoverageType[] = BENEFITS;

export type CoverageStartRule =
  | { kind: 'after_base_warranty' }
  | { kind: 'from_purchase' }
  | { kind: 'waiting_days'; days: number };

export const COVERAGE_START_KINDS = ['after_base_warranty', 'from_purchase', 'waiting_days'] as const;
