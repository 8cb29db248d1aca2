import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBoundEditProblems } from '../../src/domain/product-edits.ts';
import { inEnglish } from '../helpers/messages.ts';

describe('product edits under plans on sale', () => {
  const current = { retailPriceFen: 299_900, baseWarrantyMonths: 12 };

  it('names the retail price and the base warranty, and says to retire the plans first', () => {
    expect(
      inEnglish(planBoundEditProblems(current, { retailPriceFen: 199_900, baseWarrantyMonths: 24 }, 2)),
    ).toEqual([
      {
        field: 'retailPriceFen',
        message:
          'cannot change while 2 plans of this product are on sale: the retail price (the claim cap of its plans) was approved with them; retire the plans first',
      },
      {
        field: 'baseWarrantyMonths',
        message:
          'cannot change while 2 plans of this product are on sale: the base warranty (when its plans start covering) was approved with them; retire the plans first',
      },
    ]);
    expect(
      inEnglish(planBoundEditProblems(current, { ...current, retailPriceFen: 1 }, 1))[0]?.message,
    ).toMatch(/^cannot change while 1 plan of this product is on sale/);
  });

  it('refuses exactly the changed plan-bound fields, and only while a plan is on sale (property)', () => {
    const facts = fc.record({
      retailPriceFen: fc.integer({ min: 100, max: 10_000_000 }),
      baseWarrantyMonths: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(facts, facts, fc.nat(5), (before, after, plansOnSale) => {
        const fields = planBoundEditProblems(before, after, plansOnSale).map((p) => p.field);
        const changed = (['retailPriceFen', 'baseWarrantyMonths'] as const).filter(
          (f) => before[f] !== after[f],
        );
        expect(fields).toEqual(plansOnSale > 0 ? changed : []);
      }),
    );
  });
});
