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

export const COVERAGE_TYPES = [
  'parts_labour',
  'accidental_damage',
  'liquid_damage',
  'screen',
  'battery',
  'on_site_service',
  'replacement',
  'exclusions',
  'claim_procedure',
  'cancellation_refund',
  'general_terms',
] as const;
export type CoverageType = (typeof COVERAGE_TYPES)[number];

/** How each coverage type is called, for the pages and documents consumers read. */
export const COVERAGE_LABELS: Readonly<Record<CoverageType, { zh: string; en: string }>> = {
  parts_labour: { zh: '零部件与人工', en: 'Parts and labour' },
  accidental_damage: { zh: '意外损坏', en: 'Accidental damage' },
  liquid_damage: { zh: '进液损坏', en: 'Liquid damage' },
  screen: { zh: '屏幕', en: 'Screen' },
  battery: { zh: '电池', en: 'Battery' },
  on_site_service: { zh: '上门服务', en: 'On-site service' },
  replacement: { zh: '无法修复时换新', en: 'Replacement if irreparable' },
  exclusions: { zh: '除外责任', en: 'Exclusions' },
  claim_procedure: { zh: '报修流程', en: 'How to claim' },
  cancellation_refund: { zh: '退保与退款', en: 'Cancellation and refund' },
  general_terms: { zh: '一般条款', en: 'General terms' },
};

/**
 * Coverage types that describe what is repaired; the others are terms every
 * plan carries (exclusions, how to claim, how to cancel, general terms).
 */
export const BENEFIT_COVERAGE_TYPES: readonly CoverageType[] = [
  'parts_labour',
  'accidental_damage',
  'liquid_damage',
  'screen',
  'battery',
  'on_site_service',
  'replacement',
];

export type CoverageStartRule =
  | { kind: 'after_base_warranty' }
  | { kind: 'from_purchase' }
  | { kind: 'waiting_days'; days: number };

export const COVERAGE_START_KINDS = ['after_base_warranty', 'from_purchase', 'waiting_days'] as const;
