/**
 * What a purchase date buys (src/domain/registration.ts coverageOffer): ended
 * and nearly ended cover refused, started cover sold from the registration day
 * at the refund rule's share, dates before 2000 or the product's launch refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoverageStartRule } from '../../src/domain/catalog.ts';
import { addDays, compareDates, coverageWindow, daysBetween, maxDate } from '../../src/domain/coverage.ts';
import { refundQuote } from '../../src/domain/refund.ts';
import { coverageOffer, MIN_COVER_DAYS, type OfferFacts } from '../../src/domain/registration.ts';
import { englishOf } from '../helpers/messages.ts';

const facts = (over: Partial<OfferFacts> = {}): OfferFacts => ({
  productPurchaseDate: '2026-11-23',
  rule: { kind: 'after_base_warranty' },
  baseWarrantyMonths: 12,
  termMonths: 24,
  priceFen: 29_900,
  launchDate: '2024-01-01',
  purchaseWindowDays: 3650,
  today: '2026-12-03',
  ...over,
});

const dayIn = (from: string, to: string) =>
  fc.integer({ min: 0, max: daysBetween(from, to) }).map((n) => addDays(from, n));

const rule: fc.Arbitrary<CoverageStartRule> = fc.oneof(
  fc.constant<CoverageStartRule>({ kind: 'after_base_warranty' }),
  fc.constant<CoverageStartRule>({ kind: 'from_purchase' }),
  fc.integer({ min: 1, max: 365 }).map((days): CoverageStartRule => ({ kind: 'waiting_days', days })),
);

/** Purchases up to ten years before `today`, of any plan shape. */
const anyFacts = fc
  .record({
    today: dayIn('2011-01-01', '2060-12-31'),
    back: fc.integer({ min: 0, max: 3650 }),
    rule,
    baseWarrantyMonths: fc.integer({ min: 0, max: 60 }),
    termMonths: fc.integer({ min: 1, max: 120 }),
    priceFen: fc.integer({ min: 100, max: 10_000_000 }),
  })
  .map(({ today, back, ...plan }) =>
    facts({ ...plan, today, productPurchaseDate: addDays(today, -back), launchDate: '2000-01-01' }),
  );

describe('coverageOffer', () => {
  it("refuses the issue's ended cover: bought 2024-02-29, 12 months base warranty, 3650-day window", () => {
    const { problem, offer } = coverageOffer(
      facts({ productPurchaseDate: '2024-02-29', termMonths: 12, today: '2026-12-03' }),
    );
    expect(offer).toBeNull();
    // Base warranty to 2025-02-28, cover 2025-03-01 .. 2026-02-28: over before today.
    expect(englishOf(problem)).toEqual({
      field: 'productPurchaseDate',
      message: 'gives no cover: it ended on 2026-02-28 (this plan could be bought until 2026-01-30)',
    });
  });

  it(`refuses cover with fewer than ${MIN_COVER_DAYS} days left, counting today and the last day`, () => {
    // from_purchase, 12 months: bought 2025-12-31, cover ends 2026-12-30.
    const bought = (today: string) =>
      coverageOffer(
        facts({ rule: { kind: 'from_purchase' }, termMonths: 12, productPurchaseDate: '2025-12-31', today }),
      );
    expect(bought('2026-12-01').offer).toMatchObject({ coverageStart: '2026-12-01', coveredDays: 30 });
    expect(bought('2026-12-02').offer).toBeNull();
    expect(englishOf(bought('2026-12-02').problem)).toEqual({
      field: 'productPurchaseDate',
      message:
        'leaves only 29 days of cover, until 2026-12-30, fewer than 30 (this plan could be bought until 2026-12-01)',
    });
  });

  it('sells cover that has already started from today at the pro-rated price', () => {
    // from_purchase, 24 months from 2026-11-23: 731 days, 721 of them from 2026-12-03.
    const { problem, offer } = coverageOffer(facts({ rule: { kind: 'from_purchase' } }));
    expect(problem).toBeNull();
    expect(offer).toEqual({
      baseWarrantyEnd: '2027-11-23',
      coverageStart: '2026-12-03',
      coverageEnd: '2028-11-22',
      termDays: 731,
      coveredDays: 721,
      amountFen: Math.floor((29_900 * 721) / 731),
    });
  });

  it('sells cover that starts today or later whole, at full price', () => {
    expect(coverageOffer(facts()).offer).toEqual({
      baseWarrantyEnd: '2027-11-23',
      coverageStart: '2027-11-24',
      coverageEnd: '2029-11-23',
      termDays: 731,
      coveredDays: 731,
      amountFen: 29_900,
    });
    expect(
      coverageOffer(facts({ rule: { kind: 'from_purchase' }, productPurchaseDate: '2026-12-03' })).offer,
    ).toMatchObject({ coverageStart: '2026-12-03', amountFen: 29_900 });
    // waiting_days: from the expected payment day (today) plus the wait.
    expect(coverageOffer(facts({ rule: { kind: 'waiting_days', days: 15 } })).offer).toMatchObject({
      coverageStart: '2026-12-18',
      coverageEnd: '2028-12-17',
      amountFen: 29_900,
    });
    // A one-month plan shorter than the minimum is still sold whole before it starts.
    expect(
      coverageOffer(
        facts({
          rule: { kind: 'waiting_days', days: 1 },
          termMonths: 1,
          productPurchaseDate: '2027-01-20',
          today: '2027-01-31',
        }),
      ).offer,
    ).toMatchObject({
      coverageStart: '2027-02-01',
      coverageEnd: '2027-02-28',
      termDays: 28,
      amountFen: 29_900,
    });
  });

  it('refuses purchase dates before 2000-01-01 or before the product was launched', () => {
    const problemOf = (over: Partial<OfferFacts>) => englishOf(coverageOffer(facts(over)).problem);
    expect(problemOf({ productPurchaseDate: '1999-12-31', launchDate: '1990-01-01' })).toEqual({
      field: 'productPurchaseDate',
      message: 'is before 2000-01-01',
    });
    expect(problemOf({ productPurchaseDate: '2026-02-28', launchDate: '2026-03-01' })).toEqual({
      field: 'productPurchaseDate',
      message: 'is before the product was launched on 2026-03-01',
    });
    expect(problemOf({ productPurchaseDate: '2026-03-01', launchDate: '2026-03-01' })).toBeNull();
    expect(problemOf({ productPurchaseDate: '2026-12-04' })?.message).toBe('is in the future');
    expect(problemOf({ productPurchaseDate: '2026-02-30' })?.message).toBe('is not a calendar date');
    expect(problemOf({ productPurchaseDate: '3.12.2026' })?.message).toBe('must be a date (YYYY-MM-DD)');
  });

  it('accepts exactly the dates leaving at least min(30 days, the whole term) of cover, and sells them from today', () => {
    fc.assert(
      fc.property(anyFacts, (f) => {
        const { problem, offer } = coverageOffer(f);
        const w = coverageWindow({ ...f, paidOn: f.today });
        const termDays = daysBetween(w.start, w.end) + 1;
        const left = Math.min(termDays, Math.max(0, daysBetween(f.today, w.end) + 1));
        expect(problem === null).toBe(left >= Math.min(MIN_COVER_DAYS, termDays));
        if (!offer) return;
        expect(offer.coverageEnd).toBe(w.end);
        expect(offer.coverageStart).toBe(maxDate(w.start, f.today));
        expect(offer.coveredDays).toBe(daysBetween(offer.coverageStart, offer.coverageEnd) + 1);
        expect(offer.termDays).toBe(termDays);
      }),
    );
  });

  it('prices a purchase on day D at what cancelling the full-price order on day D would refund', () => {
    fc.assert(
      fc.property(anyFacts, (f) => {
        const { offer } = coverageOffer(f);
        if (!offer) return;
        const w = coverageWindow({ ...f, paidOn: f.today });
        const refund = refundQuote({
          amountFen: f.priceFen,
          paidOn: addDays(f.today, -400),
          coolingOffDays: 7,
          coverageStart: w.start,
          coverageEnd: w.end,
          cancelledOn: f.today,
          claimFiled: false,
          approvedClaimsFen: 0,
        });
        expect(offer.amountFen).toBe(refund.proRatedFen);
        expect(offer.amountFen).toBe(Math.floor((f.priceFen * offer.coveredDays) / offer.termDays));
        if (offer.coverageStart > f.today || offer.coveredDays === offer.termDays)
          expect(offer.amountFen).toBe(f.priceFen);
      }),
    );
  });

  it('leaves the refund rule working on the clipped window and amount: all of it on day one, never more than the full order', () => {
    fc.assert(
      fc.property(anyFacts, fc.integer({ min: 0, max: 5000 }), (f, later) => {
        const { offer } = coverageOffer(f);
        if (!offer) return;
        const w = coverageWindow({ ...f, paidOn: f.today });
        const cancelledOn = addDays(f.today, later);
        const quote = (amountFen: number, coverageStart: string) =>
          refundQuote({
            amountFen,
            paidOn: f.today,
            coolingOffDays: 0,
            coverageStart,
            coverageEnd: w.end,
            cancelledOn,
            claimFiled: true,
            approvedClaimsFen: 0,
          });
        const clipped = quote(offer.amountFen, offer.coverageStart);
        const whole = quote(f.priceFen, w.start);
        if (compareDates(cancelledOn, offer.coverageStart) <= 0)
          expect(clipped.refundFen).toBe(offer.amountFen);
        // Floors on the way: the pro-rated order refunds what the whole one would, to the fen.
        expect(whole.refundFen - clipped.refundFen).toBeGreaterThanOrEqual(0);
        expect(whole.refundFen - clipped.refundFen).toBeLessThanOrEqual(1);
      }),
    );
  });
});
