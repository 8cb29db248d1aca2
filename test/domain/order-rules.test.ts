import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderAccessToken, orderNumberFor, verifyOrderAccessToken } from '../../src/domain/order-links.ts';
import { registrationProblems } from '../../src/domain/registration.ts';

const secret = 'test-secret-that-is-long-enough-for-hmac';

describe('order numbers and links', () => {
  it('derives the same unguessable order number from the same submission', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16, maxLength: 64 }), (key) => {
        const number = orderNumberFor(key, secret);
        return /^YB[A-Z2-9]{14}$/.test(number) && number === orderNumberFor(key, secret);
      }),
    );
    expect(orderNumberFor('a'.repeat(16), secret)).not.toBe(orderNumberFor('a'.repeat(16), `${secret}x`));
  });

  it('accepts exactly the access token minted for the order', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^YB[A-Z2-9]{14}$/),
        fc.string({ minLength: 1, maxLength: 30 }),
        (order, forged) => {
          const token = orderAccessToken(order, secret);
          return (
            verifyOrderAccessToken(order, token, secret) &&
            (forged === token || !verifyOrderAccessToken(order, forged, secret))
          );
        },
      ),
    );
  });
});

describe('registration rules', () => {
  const facts = {
    consumerName: '李四',
    consumerPhone: '13800138000',
    serialNumber: 'XH0000000001',
    productPurchaseDate: '2026-11-01',
    serialPattern: 'XH[0-9]{10}',
    purchaseWindowDays: 30,
    today: '2026-11-25',
    rule: { kind: 'after_base_warranty' } as const,
    baseWarrantyMonths: 12,
    termMonths: 24,
    priceFen: 29_900,
    launchDate: '2025-01-01',
  };
  const fields = (over: object) => registrationProblems({ ...facts, ...over }).problems.map((p) => p.field);

  it('accepts a valid registration and normalises the phone', () => {
    expect(registrationProblems(facts)).toEqual({
      problems: [],
      phone: '+8613800138000',
      offer: {
        baseWarrantyEnd: '2027-11-01',
        coverageStart: '2027-11-02',
        coverageEnd: '2029-11-01',
        termDays: 731,
        coveredDays: 731,
        amountFen: 29_900,
      },
    });
  });

  it('names each broken field', () => {
    expect(fields({ consumerName: '  ' })).toEqual(['consumerName']);
    expect(fields({ consumerPhone: '123' })).toEqual(['consumerPhone']);
    expect(fields({ serialNumber: 'XH1' })).toEqual(['serialNumber']);
    expect(fields({ serialNumber: 'XXH0000000001' })).toEqual(['serialNumber']);
    expect(fields({ productPurchaseDate: '2026-11-26' })).toEqual(['productPurchaseDate']);
    expect(fields({ productPurchaseDate: '2026-10-25' })).toEqual(['productPurchaseDate']);
  });

  it('does not refuse every sale over a stored pattern RE2 cannot run (entry refuses such patterns now)', () => {
    expect(fields({ serialPattern: '(?=XH)XH[0-9]{10}', serialNumber: 'anything' })).toEqual([]);
  });

  it('keeps the purchase window inclusive of its last day', () => {
    expect(fields({ productPurchaseDate: '2026-10-26' })).toEqual([]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (daysAgo) => {
        const date = new Date(Date.UTC(2026, 10, 25 - daysAgo)).toISOString().slice(0, 10);
        return (fields({ productPurchaseDate: date }).length === 0) === daysAgo <= 30;
      }),
    );
  });
});
