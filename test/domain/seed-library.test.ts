import { describe, expect, it } from 'vitest';
import { CASE_SEEDS } from '../../src/db/seed/cases.data.ts';
import { CLAUSE_SEEDS, type ClauseSeed } from '../../src/db/seed/clauses.data.ts';
import {
  BENEFIT_COVERAGE_TYPES,
  COVERAGE_START_KINDS,
  COVERAGE_TYPES,
  type CoverageType,
  PRODUCT_CATEGORIES,
} from '../../src/domain/catalog.ts';

/** CJK ideographs (basic block and extension A). */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff]/;
/** CJK ideographs, CJK punctuation and full-width forms: none may appear in English text. */
const NOT_IN_ENGLISH = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

const clauseByKey = new Map<string, ClauseSeed>(CLAUSE_SEEDS.map((c) => [c.key, c]));

describe('clause library seed', () => {
  it('has at least 120 clauses with unique, slug-shaped keys', () => {
    expect(CLAUSE_SEEDS.length).toBeGreaterThanOrEqual(120);
    expect(clauseByKey.size).toBe(CLAUSE_SEEDS.length);
    for (const c of CLAUSE_SEEDS) expect(c.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('uses only known coverage types and categories, with non-empty, duplicate-free category lists', () => {
    for (const c of CLAUSE_SEEDS) {
      expect(COVERAGE_TYPES, c.key).toContain(c.coverageType);
      expect(c.categories.length, c.key).toBeGreaterThan(0);
      expect(new Set(c.categories).size, c.key).toBe(c.categories.length);
      for (const cat of c.categories) expect(PRODUCT_CATEGORIES, c.key).toContain(cat);
    }
  });

  it('covers every coverage type with several clauses', () => {
    for (const type of COVERAGE_TYPES) {
      const n = CLAUSE_SEEDS.filter((c) => c.coverageType === type).length;
      expect(n, type).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives every category at least 10 applicable clauses, including category-specific ones', () => {
    for (const cat of PRODUCT_CATEGORIES) {
      const applicable = CLAUSE_SEEDS.filter((c) => c.categories.includes(cat));
      expect(applicable.length, cat).toBeGreaterThanOrEqual(10);
      const specific = applicable.filter((c) => c.categories.length < PRODUCT_CATEGORIES.length);
      expect(specific.length, cat).toBeGreaterThanOrEqual(5);
    }
  });

  it('has no empty texts and no identical titles or bodies', () => {
    for (const field of ['titleZh', 'titleEn', 'bodyZh', 'bodyEn'] as const) {
      const values = CLAUSE_SEEDS.map((c) => c[field].trim());
      for (const [i, v] of values.entries())
        expect(v.length, `${CLAUSE_SEEDS[i]?.key}.${field}`).toBeGreaterThan(0);
      expect(new Set(values).size, field).toBe(values.length);
    }
    // Near duplicates that differ only in digits, whitespace or punctuation.
    const normalise = (s: string) => s.replace(/[\d\s\p{P}]/gu, '');
    const zh = CLAUSE_SEEDS.map((c) => normalise(c.bodyZh));
    const en = CLAUSE_SEEDS.map((c) => normalise(c.bodyEn).toLowerCase());
    expect(new Set(zh).size).toBe(zh.length);
    expect(new Set(en).size).toBe(en.length);
  });

  it('writes Chinese in the zh fields and no CJK in the en fields', () => {
    for (const c of CLAUSE_SEEDS) {
      expect(c.titleZh, c.key).toMatch(CJK);
      expect(c.bodyZh, c.key).toMatch(CJK);
      expect(c.titleEn, c.key).not.toMatch(NOT_IN_ENGLISH);
      expect(c.bodyEn, c.key).not.toMatch(NOT_IN_ENGLISH);
    }
  });

  it('keeps titles short and bodies to a realistic clause length', () => {
    for (const c of CLAUSE_SEEDS) {
      expect([...c.titleZh].length, c.key).toBeLessThanOrEqual(30);
      expect(c.titleEn.length, c.key).toBeLessThanOrEqual(60);
      expect([...c.bodyZh].length, c.key).toBeGreaterThanOrEqual(20);
      expect(c.bodyEn.length, c.key).toBeGreaterThanOrEqual(60);
      expect(c.bodyEn.split(/(?<=[.!?])\s+(?=[A-Z])/).length, c.key).toBeLessThanOrEqual(4);
    }
  });
});

describe('case library seed', () => {
  it('has at least 30 cases with unique keys, at least 3 per category', () => {
    expect(CASE_SEEDS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASE_SEEDS.map((c) => c.key)).size).toBe(CASE_SEEDS.length);
    for (const cat of PRODUCT_CATEGORIES) {
      expect(CASE_SEEDS.filter((c) => c.category === cat).length, cat).toBeGreaterThanOrEqual(3);
    }
  });

  it('only references clauses that exist and apply to the case category, without repeats', () => {
    for (const c of CASE_SEEDS) {
      expect(new Set(c.clauseKeys).size, c.key).toBe(c.clauseKeys.length);
      for (const key of c.clauseKeys) {
        const clause = clauseByKey.get(key);
        expect(clause, `${c.key} -> ${key}`).toBeDefined();
        expect(clause?.categories, `${c.key} -> ${key}`).toContain(c.category);
      }
    }
  });

  it('carries exclusions, claim procedure, cancellation/refund and general terms clauses', () => {
    const required: CoverageType[] = [
      'exclusions',
      'claim_procedure',
      'cancellation_refund',
      'general_terms',
    ];
    for (const c of CASE_SEEDS) {
      const types = new Set(c.clauseKeys.map((k) => clauseByKey.get(k)?.coverageType));
      for (const type of required) expect(types.has(type), `${c.key} lacks ${type}`).toBe(true);
    }
  });

  it('matches benefit clauses to the wanted benefit coverages', () => {
    for (const c of CASE_SEEDS) {
      expect(c.coverageTypes.length, c.key).toBeGreaterThan(0);
      expect(new Set(c.coverageTypes).size, c.key).toBe(c.coverageTypes.length);
      for (const type of c.coverageTypes) expect(BENEFIT_COVERAGE_TYPES, c.key).toContain(type);
      const clauseTypes = new Set(c.clauseKeys.map((k) => clauseByKey.get(k)?.coverageType));
      for (const type of c.coverageTypes) expect(clauseTypes.has(type), `${c.key} lacks ${type}`).toBe(true);
      for (const type of clauseTypes) {
        if (type && BENEFIT_COVERAGE_TYPES.includes(type)) {
          expect(c.coverageTypes, `${c.key} carries ${type} clauses`).toContain(type);
        }
      }
    }
  });

  it('carries the waiting-period clause exactly when coverage starts after waiting days', () => {
    for (const c of CASE_SEEDS) {
      const waits = c.coverageStartRule.kind === 'waiting_days';
      expect(c.clauseKeys.includes('general-waiting-period'), c.key).toBe(waits);
      if (c.coverageStartRule.kind === 'waiting_days') {
        expect(Number.isInteger(c.coverageStartRule.days) && c.coverageStartRule.days > 0, c.key).toBe(true);
      }
    }
  });

  it('has valid terms, windows and start rules, varied across the library', () => {
    for (const c of CASE_SEEDS) {
      expect([12, 24, 36, 48, 60], c.key).toContain(c.termMonths);
      expect(Number.isInteger(c.purchaseWindowDays) && c.purchaseWindowDays > 0, c.key).toBe(true);
      expect(Number.isInteger(c.baseWarrantyMonths) && c.baseWarrantyMonths > 0, c.key).toBe(true);
      expect(COVERAGE_START_KINDS, c.key).toContain(c.coverageStartRule.kind);
    }
    expect(new Set(CASE_SEEDS.map((c) => c.termMonths)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(CASE_SEEDS.map((c) => c.coverageStartRule.kind)).size).toBe(COVERAGE_START_KINDS.length);
  });

  it('prices in positive integer fen, at a realistic share of the retail price', () => {
    for (const c of CASE_SEEDS) {
      expect(Number.isSafeInteger(c.priceFen) && c.priceFen > 0, c.key).toBe(true);
      expect(Number.isSafeInteger(c.retailPriceFen) && c.retailPriceFen > 0, c.key).toBe(true);
      const perYear = c.priceFen / c.retailPriceFen / (c.termMonths / 12);
      expect(perYear, c.key).toBeGreaterThanOrEqual(0.02);
      expect(perYear, c.key).toBeLessThanOrEqual(0.15);
    }
  });

  it('names manufacturers and plans in both languages', () => {
    for (const c of CASE_SEEDS) {
      expect(c.manufacturerNameZh, c.key).toMatch(CJK);
      expect(c.planNameZh, c.key).toMatch(CJK);
      for (const v of [c.manufacturerNameEn, c.planNameEn, c.brand, c.productName, c.model]) {
        expect(v.trim().length, c.key).toBeGreaterThan(0);
        expect(v, c.key).not.toMatch(NOT_IN_ENGLISH);
      }
    }
  });
});
