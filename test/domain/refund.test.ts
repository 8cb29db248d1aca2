/**
 * The cancellation refund formula: worked examples, then properties checked
 * with fast-check over random plans, payment and cancellation dates and
 * claim costs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween } from '../../src/domain/coverage.ts';
import type { ClaimStatus } from '../../src/domain/entities/claim.entity.ts';
import {
  type ClaimFacts,
  claimDeductions,
  type RefundRequest,
  refundQuote,
} from '../../src/domain/refund.ts';

/** A 24-month plan paid 2025-03-10, covering 2025-03-01 to 2027-02-28 (730 days). */
const BASE: RefundRequest = {
  amountFen: 29_900,
  paidOn: '2025-03-10',
  coolingOffDays: 30,
  coverageStart: '2025-03-01',
  coverageEnd: '2027-02-28',
  cancelledOn: '2025-03-20',
  claimFiled: false,
  approvedClaimsFen: 0,
};
const quote = (over: Partial<RefundRequest> = {}) => refundQuote({ ...BASE, ...over });

describe('refundQuote — worked examples', () => {
  it('refunds in full inside the cooling-off period without claims, through its last day', () => {
    expect(quote()).toEqual({
      basis: 'cooling_off_full',
      amountFen: 29_900,
      withinCoolingOff: true,
      claimFiled: false,
      coolingOffEnds: '2025-04-09',
      totalDays: 730,
      remainingDays: daysBetween('2025-03-20', '2027-02-28') + 1,
      proRatedFen: Math.floor((29_900 * 711) / 730),
      approvedClaimsFen: 0,
      refundFen: 29_900,
    });
    expect(quote({ cancelledOn: '2025-04-09' }).refundFen).toBe(29_900);
    expect(quote({ cancelledOn: '2025-04-10' }).withinCoolingOff).toBe(false);
  });

  it('pro-rates by the coverage days left, counting the day of cancellation, after the cooling-off period', () => {
    const q = quote({ cancelledOn: '2026-03-01' });
    expect(q.remainingDays).toBe(365);
    // 29900 × 365 / 730 = 14950 exactly
    expect(q.refundFen).toBe(14_950);
    // 29900 × 364 / 730 = 14909.04… → 14909
    expect(quote({ cancelledOn: '2026-03-02' }).refundFen).toBe(14_909);
    expect(quote({ cancelledOn: '2027-02-28' })).toMatchObject({ remainingDays: 1, refundFen: 40 });
    expect(quote({ cancelledOn: '2027-03-01' })).toMatchObject({ remainingDays: 0, refundFen: 0 });
  });

  it('keeps the whole coverage when cancelled before it starts (after_base_warranty plans)', () => {
    const q = quote({ coverageStart: '2026-03-01', coverageEnd: '2028-02-29', cancelledOn: '2025-06-01' });
    expect(q).toMatchObject({
      withinCoolingOff: false,
      totalDays: 731,
      remainingDays: 731,
      refundFen: 29_900,
    });
  });

  it('deducts approved claim costs from the pro-rated amount, never below zero', () => {
    expect(quote({ cancelledOn: '2026-03-01', approvedClaimsFen: 4_950 }).refundFen).toBe(10_000);
    expect(quote({ cancelledOn: '2026-03-01', approvedClaimsFen: 20_000 }).refundFen).toBe(0);
  });

  it('pro-rates inside the cooling-off period once a claim was filed', () => {
    const q = quote({ claimFiled: true, approvedClaimsFen: 1_000 });
    expect(q.withinCoolingOff).toBe(true);
    expect(q.refundFen).toBe(Math.floor((29_900 * 711) / 730) - 1_000);
  });

  it('refuses malformed input', () => {
    expect(() => quote({ amountFen: 10.5 })).toThrow(RangeError);
    expect(() => quote({ amountFen: -1 })).toThrow(/amountFen/);
    expect(() => quote({ approvedClaimsFen: -5 })).toThrow(/approvedClaimsFen/);
    expect(() => quote({ coolingOffDays: -1 })).toThrow(/coolingOffDays/);
    expect(() => quote({ cancelledOn: '2025-02-30' })).toThrow(/cancelledOn/);
    expect(() => quote({ coverageStart: '2027-03-01' })).toThrow(/before coverageStart/);
  });
});

describe('claimDeductions', () => {
  it('counts accepted claims with a recorded cost as approved, rejected ones not at all, open ones as open', () => {
    expect(
      claimDeductions([
        { status: 'closed', repairCostFen: 3_000 },
        { status: 'repaired', repairCostFen: 1_500 },
        { status: 'closed', repairCostFen: null },
        { status: 'rejected', repairCostFen: null },
        { status: 'submitted', repairCostFen: null },
        { status: 'accepted', repairCostFen: null },
      ]),
    ).toEqual({ filed: 5, open: 2, approvedFen: 4_500 });
    expect(claimDeductions([])).toEqual({ filed: 0, open: 0, approvedFen: 0 });
    expect(claimDeductions([{ status: 'rejected', repairCostFen: null }]).filed).toBe(0);
  });
});

// --- properties ---------------------------------------------------------------

const DAY = fc.integer({ min: 0, max: 200 * 365 });
const date = DAY.map((n) => addDays('1990-01-01', n));

/** A paid plan: amount, payment day, cooling-off period and a coverage window that may start later. */
const terms = fc
  .record({
    amountFen: fc.integer({ min: 0, max: 1_000_000_000_00 }),
    paidOn: date,
    coolingOffDays: fc.integer({ min: 0, max: 365 }),
    startOffset: fc.integer({ min: -400, max: 800 }),
    termMonths: fc.integer({ min: 1, max: 120 }),
  })
  .map(({ startOffset, termMonths, ...rest }) => {
    const coverageStart = addDays(rest.paidOn, startOffset);
    return { ...rest, coverageStart, coverageEnd: addDays(addMonths(coverageStart, termMonths), -1) };
  });

const request = fc
  .record({
    terms,
    cancelOffset: fc.integer({ min: 0, max: 4_000 }),
    claimFiled: fc.boolean(),
    approvedClaimsFen: fc.integer({ min: 0, max: 1_000_000_000 }),
  })
  .map(({ terms, cancelOffset, ...rest }) => ({
    ...terms,
    ...rest,
    cancelledOn: addDays(terms.paidOn, cancelOffset),
  }));

describe('refundQuote — properties', () => {
  it('is an integer number of fen between zero and the amount paid', () => {
    fc.assert(
      fc.property(request, (r) => {
        const { refundFen } = refundQuote(r);
        expect(Number.isSafeInteger(refundFen)).toBe(true);
        expect(refundFen).toBeGreaterThanOrEqual(0);
        expect(refundFen).toBeLessThanOrEqual(r.amountFen);
      }),
    );
  });

  it('never grows as the cancellation date moves later', () => {
    fc.assert(
      fc.property(request, fc.integer({ min: 1, max: 2_000 }), (r, later) => {
        const earlier = refundQuote(r).refundFen;
        const then = refundQuote({ ...r, cancelledOn: addDays(r.cancelledOn, later) }).refundFen;
        expect(then).toBeLessThanOrEqual(earlier);
      }),
    );
  });

  it('refunds everything inside the cooling-off period when no claim was filed', () => {
    fc.assert(
      fc.property(request, (r) => {
        const inside = addDays(r.paidOn, Math.min(r.coolingOffDays, daysBetween(r.paidOn, r.cancelledOn)));
        const q = refundQuote({ ...r, cancelledOn: inside, claimFiled: false });
        expect(q.withinCoolingOff).toBe(true);
        expect(q.refundFen).toBe(r.amountFen);
      }),
    );
  });

  it('deducts claim costs additively: a + b at once is a, then b, floored at zero', () => {
    fc.assert(
      fc.property(
        request,
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        (r, a, b) => {
          const pro = { ...r, claimFiled: true };
          const none = refundQuote({ ...pro, approvedClaimsFen: 0 }).refundFen;
          const both = refundQuote({ ...pro, approvedClaimsFen: a + b }).refundFen;
          const first = refundQuote({ ...pro, approvedClaimsFen: a }).refundFen;
          expect(both).toBe(Math.max(0, none - a - b));
          expect(both).toBe(Math.max(0, first - b));
        },
      ),
    );
  });

  it('rounds the pro-rated amount down exactly, in integers', () => {
    fc.assert(
      fc.property(request, (r) => {
        const q = refundQuote({ ...r, claimFiled: true, approvedClaimsFen: 0 });
        const exact = BigInt(r.amountFen) * BigInt(q.remainingDays);
        // floor: proRated × total ≤ amount × remaining < (proRated + 1) × total
        expect(BigInt(q.proRatedFen) * BigInt(q.totalDays) <= exact).toBe(true);
        expect(exact < BigInt(q.proRatedFen + 1) * BigInt(q.totalDays)).toBe(true);
        expect(q.refundFen).toBe(q.proRatedFen);
        expect(q.remainingDays).toBeGreaterThanOrEqual(0);
        expect(q.remainingDays).toBeLessThanOrEqual(q.totalDays);
      }),
    );
  });

  it('returns the breakdown it computed: the basis, the amount paid and the result follow from its own figures', () => {
    fc.assert(
      fc.property(request, (r) => {
        const q = refundQuote(r);
        expect(q.amountFen).toBe(r.amountFen);
        expect(q.claimFiled).toBe(r.claimFiled);
        expect(q.basis).toBe(q.withinCoolingOff && !r.claimFiled ? 'cooling_off_full' : 'pro_rated');
        expect(q.refundFen).toBe(
          q.basis === 'cooling_off_full' ? q.amountFen : Math.max(0, q.proRatedFen - q.approvedClaimsFen),
        );
      }),
    );
  });

  it('adds up the approved costs of claim lists', () => {
    const claim: fc.Arbitrary<ClaimFacts> = fc.record({
      status: fc.constantFrom<ClaimStatus>('submitted', 'accepted', 'rejected', 'repaired', 'closed'),
      repairCostFen: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(claim), fc.array(claim), (xs, ys) => {
        const [x, y, both] = [claimDeductions(xs), claimDeductions(ys), claimDeductions([...xs, ...ys])];
        expect(both).toEqual({
          filed: x.filed + y.filed,
          open: x.open + y.open,
          approvedFen: x.approvedFen + y.approvedFen,
        });
      }),
    );
  });
});
