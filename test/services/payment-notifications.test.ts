import { describe, expect, it } from 'vitest';
import { amountMismatch } from '../../src/services/payment-notifications.ts';

const order = { amountFen: 29_900, currency: 'CNY' };
const notice = (kind: 'captured' | 'refunded' | 'closed', amountFen: number, extra = {}) => ({
  kind,
  amountFen,
  currency: 'CNY',
  ...extra,
});

describe("a payment notification's amount check", () => {
  it("accepts a capture of the order's exact amount and currency", () => {
    expect(amountMismatch(notice('captured', 29_900), order)).toBeNull();
  });

  it('refuses a capture of any other amount, or in another currency, naming both', () => {
    expect(amountMismatch(notice('captured', 29_899), order)).toBe(
      "amount 29899 CNY does not match the order's 29900 CNY",
    );
    expect(amountMismatch(notice('captured', 1), order)).not.toBeNull();
    expect(amountMismatch({ ...notice('captured', 29_900), currency: 'USD' }, order)).toBe(
      "amount 29900 USD does not match the order's 29900 CNY",
    );
  });

  it('accepts a refund notice of its own amount for part or all of the order, never more or nothing', () => {
    expect(amountMismatch(notice('refunded', 1), order)).toBeNull();
    expect(amountMismatch(notice('refunded', 29_900), order)).toBeNull();
    expect(amountMismatch(notice('refunded', 29_901), order)).not.toBeNull();
    expect(amountMismatch(notice('refunded', 0), order)).not.toBeNull();
  });

  it("holds a refund notice with a running total (Alipay) to the order's amount, like a capture", () => {
    expect(amountMismatch(notice('refunded', 29_900, { refundedTotalFen: 100 }), order)).toBeNull();
    expect(amountMismatch(notice('refunded', 100, { refundedTotalFen: 100 }), order)).not.toBeNull();
  });
});
