import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectionCoverageProblems, selectionShapeProblems } from '../../src/domain/plan-draft.ts';
import { coverageStartRuleOf, draftRequirementProblems } from '../../src/domain/plan-requirement.ts';
import { inEnglish } from '../helpers/messages.ts';

const product = { retailPriceFen: 299_900, currency: 'CNY' };
const good = {
  termMonths: 24,
  coverageStartRule: { kind: 'after_base_warranty' },
  priceFen: 29_900,
  currency: 'CNY',
  purchaseWindowDays: 90,
  coverageTypes: ['parts_labour' as const],
};

describe('draft requirement rules', () => {
  it('accepts a sensible draft', () => {
    expect(draftRequirementProblems(good, product)).toEqual([]);
  });
  it('names each broken field', () => {
    const fields = (over: object) =>
      draftRequirementProblems({ ...good, ...over }, product).map((p) => p.field);
    expect(fields({ termMonths: 0 })).toEqual(['termMonths']);
    expect(fields({ coverageStartRule: { kind: 'waiting_days' } })).toEqual(['coverageStartRule.days']);
    expect(fields({ coverageStartRule: { kind: 'from_purchase', days: 3 } })).toEqual([
      'coverageStartRule.days',
    ]);
    expect(fields({ priceFen: 299_900 })).toEqual(['priceFen']);
    expect(fields({ priceFen: 99 })).toEqual(['priceFen']);
    expect(fields({ currency: 'USD' })).toEqual(['currency']);
    expect(fields({ coverageTypes: ['exclusions'] })).toEqual(['coverageTypes']);
    expect(fields({ purchaseWindowDays: 4000 })).toEqual(['purchaseWindowDays']);
  });
  it('a price is accepted exactly when it is from ¥1 to below the retail price', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 400_000 }), (priceFen) => {
        const ok = draftRequirementProblems({ ...good, priceFen }, product).length === 0;
        return ok === (priceFen >= 100 && priceFen < product.retailPriceFen);
      }),
    );
  });
  it('stores start rules in their canonical shape', () => {
    expect(coverageStartRuleOf({ kind: 'waiting_days', days: 15 })).toEqual({
      kind: 'waiting_days',
      days: 15,
    });
    expect(coverageStartRuleOf({ kind: 'from_purchase' })).toEqual({ kind: 'from_purchase' });
  });
});

describe('clause selection rules', () => {
  const id = '7d0f3c8e-1b2a-4c3d-8e9f-0a1b2c3d4e5f';
  it('needs at least one clause, no duplicates, ids that are UUIDs and non-blank custom texts', () => {
    expect(inEnglish(selectionShapeProblems({ clauseIds: [], customClauses: [] }))).toEqual([
      { field: 'clauseIds', message: 'select at least one clause' },
    ]);
    expect(inEnglish(selectionShapeProblems({ clauseIds: [id, id], customClauses: [] }))[0]?.message).toMatch(
      /more than once/,
    );
    expect(selectionShapeProblems({ clauseIds: ['x'], customClauses: [] })[0]?.field).toBe('clauseIds/0');
    const blank = {
      coverageType: 'general_terms' as const,
      titleZh: ' ',
      titleEn: 'T',
      bodyZh: '正文',
      bodyEn: 'Body',
    };
    expect(inEnglish(selectionShapeProblems({ clauseIds: [id], customClauses: [blank] }))).toEqual([
      { field: 'customClauses/0/titleZh', message: 'must not be blank' },
    ]);
  });
  it('needs every wanted benefit and the mandatory terms', () => {
    expect(
      selectionCoverageProblems(
        ['screen'],
        ['screen', 'exclusions', 'claim_procedure', 'cancellation_refund'],
      ),
    ).toEqual([]);
    expect(
      inEnglish(selectionCoverageProblems(['screen', 'battery'], ['screen', 'exclusions'])).map(
        (p) => p.message,
      ),
    ).toEqual([
      'no clause of coverage type battery is selected',
      'no clause of coverage type claim_procedure is selected',
      'no clause of coverage type cancellation_refund is selected',
    ]);
  });
});
