import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COVERAGE_TYPES, PRODUCT_CATEGORIES } from '../../src/domain/catalog.ts';
import {
  type CaseCandidate,
  type ClauseCandidate,
  clauseScore,
  type DraftProfile,
  jaccard,
  priceBand,
  rankCases,
  ratioSimilarity,
  suggestClauses,
  tokenize,
} from '../../src/domain/matching.ts';
import { hasMessage, LOCALES, translate } from '../../src/i18n/catalogue.ts';

const draft: DraftProfile = {
  category: 'refrigerator',
  retailPriceFen: 499_900,
  termMonths: 36,
  priceFen: 39_900,
  coverageTypes: ['parts_labour', 'on_site_service'],
  coverageStartRule: { kind: 'after_base_warranty' },
  text: '冰箱压缩机三年延保 Refrigerator compressor 3-year extended warranty',
};

const aCase = (over: Partial<CaseCandidate>): CaseCandidate => ({
  id: 'c',
  category: 'refrigerator',
  retailPriceFen: 499_900,
  termMonths: 36,
  priceFen: 39_900,
  coverageTypes: ['parts_labour', 'on_site_service'],
  planNameZh: '冰箱延保',
  planNameEn: 'Fridge care',
  manufacturerName: 'M',
  productName: 'P',
  clauseIds: [],
  ...over,
});

describe('price bands and similarity', () => {
  it('puts retail prices into bands by order of magnitude', () => {
    expect(priceBand(29_999)).toBe(0);
    expect(priceBand(30_000)).toBe(1);
    expect(priceBand(299_900)).toBe(2);
    expect(priceBand(999_999)).toBe(3);
    expect(priceBand(5_000_000)).toBe(5);
  });
  it('bands never decrease as prices rise', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e9 }), fc.nat({ max: 1e9 }), (a, b) =>
        a <= b ? priceBand(a) <= priceBand(b) : true,
      ),
    );
  });
  it('ratio similarity is symmetric, 1 for equal values and within 0..1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (a, b) => {
        const s = ratioSimilarity(a, b, 4);
        return (
          s >= 0 && s <= 1 && Math.abs(s - ratioSimilarity(b, a, 4)) < 1e-12 && ratioSimilarity(a, a, 4) === 1
        );
      }),
    );
  });
  it('jaccard is 1 for equal sets and 0 for disjoint ones', () => {
    expect(jaccard(['a', 'b'], ['b', 'a'])).toBe(1);
    expect(jaccard(['a'], ['b'])).toBe(0);
    expect(jaccard(['a', 'b'], ['b', 'c'])).toBeCloseTo(1 / 3);
  });
});

describe('tokenize', () => {
  it('splits English into words and Chinese into bigrams', () => {
    expect([...tokenize('Screen repair 屏幕维修')]).toEqual(['screen', 'repair', '屏幕', '幕维', '维修']);
  });
});

describe('rankCases', () => {
  it('ranks only the same category and prefers nearby price and term', () => {
    const ranked = rankCases(draft, [
      aCase({ id: 'far-term', termMonths: 12 }),
      aCase({ id: 'twin' }),
      aCase({ id: 'other-category', category: 'tv' }),
      aCase({ id: 'cheap-product', retailPriceFen: 49_900 }),
    ]);
    expect(ranked.map((c) => c.caseId)).toEqual(['twin', 'far-term', 'cheap-product']);
    expect(ranked[0]?.reasons.map((r) => translate('en', r))).toContain('same term (36 months)');
    expect(ranked[0]?.score).toBe(1);
  });

  it('scores stay within 0..1 for any candidate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e8 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 1e7 }),
        fc.subarray([...COVERAGE_TYPES]),
        (retail, term, price, types) => {
          const [ranked] = rankCases(draft, [
            aCase({ retailPriceFen: retail, termMonths: term, priceFen: price, coverageTypes: types }),
          ]);
          return ranked !== undefined && ranked.score >= 0 && ranked.score <= 1;
        },
      ),
    );
  });
});

describe('suggestClauses', () => {
  const clause = (over: Partial<ClauseCandidate>): ClauseCandidate => ({
    id: over.key ?? 'x',
    key: 'x',
    coverageType: 'parts_labour',
    categories: [...PRODUCT_CATEGORIES],
    titleZh: '零部件与人工',
    titleEn: 'Parts and labour',
    bodyZh: '免费维修。',
    bodyEn: 'Free repair.',
    ...over,
  });

  it('lists at most 40 clauses of the category worth suggesting, best first', () => {
    const anyClause = fc.record({
      key: fc.string({ minLength: 1, maxLength: 6 }),
      coverageType: fc.constantFrom(...COVERAGE_TYPES),
      categories: fc.subarray([...PRODUCT_CATEGORIES], { minLength: 1 }),
      bodyEn: fc.constantFrom('Compressor repair.', 'Refrigerator compressor warranty.', 'Free repair.'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(anyClause, { selector: (c) => c.key, maxLength: 80 }), (drawn) => {
        const suggestions = suggestClauses(
          draft,
          drawn.map((c) => clause({ ...c, id: c.key })),
          [],
          new Map(),
        );
        const categoryOf = new Map(drawn.map((c) => [c.key, c.categories]));
        return (
          suggestions.length <= 40 &&
          suggestions.every(
            (s, i) => s.score > 0.2 && (i === 0 || (suggestions[i - 1]?.score ?? 0) >= s.score),
          ) &&
          suggestions.every((s) => categoryOf.get(s.key)?.includes(draft.category))
        );
      }),
    );
  });

  it('prefers wanted coverage, specific categories, matching text and clauses used by similar plans', () => {
    const clauses = [
      clause({ key: 'generic-parts' }),
      clause({
        key: 'fridge-compressor',
        categories: ['refrigerator'],
        titleZh: '压缩机保修',
        titleEn: 'Compressor warranty',
        bodyZh: '冰箱压缩机故障免费维修。',
        bodyEn: 'Refrigerator compressor failures are repaired free of charge.',
      }),
      clause({ key: 'tv-panel', categories: ['tv'], coverageType: 'screen' }),
      clause({ key: 'exclusions', coverageType: 'exclusions' }),
      clause({ key: 'accident', coverageType: 'accidental_damage' }),
    ];
    const cases = rankCases(draft, [aCase({ id: 'twin', clauseIds: ['fridge-compressor'] })]);
    const suggestions = suggestClauses(draft, clauses, cases, new Map([['twin', ['fridge-compressor']]]));
    const keys = suggestions.map((s) => s.key);
    expect(keys[0]).toBe('fridge-compressor');
    expect(keys).toContain('exclusions');
    expect(keys).not.toContain('tv-panel');
    expect(keys).not.toContain('accident');
    expect(suggestions[0]?.reasons.map((r) => translate('en', r))).toEqual(
      expect.arrayContaining([
        'covers wanted parts_labour',
        'written for refrigerator',
        'used by 100% of similar plans',
      ]),
    );
    // Every reason has words in both languages, its numbers and keys filled in.
    for (const r of [...cases.flatMap((c) => c.reasons), ...suggestions.flatMap((c) => c.reasons)])
      for (const locale of LOCALES) {
        expect(hasMessage(locale, r.code), `${locale} ${r.code}`).toBe(true);
        expect(translate(locale, r)).not.toMatch(/\{\{|matching:/);
      }
    expect(translate('zh-CN', suggestions[0]?.reasons.at(-1) ?? '')).toBe('100% 的相似方案采用');
  });
});

describe('clauseScore', () => {
  // The database search bounds what it has not read by the score at relevance 1 and no use.
  it('never decreases as relevance or use grow', () => {
    const share = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.constantFrom(0, 0.8, 1),
        fc.integer({ min: 0, max: PRODUCT_CATEGORIES.length }),
        share,
        share,
        share,
        share,
        (type, categories, r1, r2, u1, u2) =>
          clauseScore(type, categories, Math.min(r1, r2), Math.min(u1, u2)) <=
          clauseScore(type, categories, Math.max(r1, r2), Math.max(u1, u2)),
      ),
    );
  });
});
