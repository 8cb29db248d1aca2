/**
 * Money is always carried as an integer number of minor units ("fen" for CNY,
 * 1/100 of the major unit). Nothing here does floating-point arithmetic on an
 * amount: formatting splits the integer with exact integer division/modulo.
 */

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Symbols for currencies printed with a symbol; every other code is printed as a prefix. */
const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { CNY: '¥' };

/**
 * Formats an integer amount of minor units (1/100 of the major unit) for
 * display: `formatFen(129900, 'CNY')` is `¥1,299.00`, `formatFen(-5, 'CNY')`
 * is `-¥0.05`, `formatFen(1999, 'USD')` is `USD 19.99`.
 *
 * Throws a RangeError when the amount is not a safe integer and a TypeError
 * when the currency is not a three-letter upper-case ISO 4217 code. Every
 * currency is assumed to have two decimal places.
 */
export function formatFen(amountFen: number, currency: string): string {
  if (typeof amountFen !== 'number' || !Number.isSafeInteger(amountFen)) {
    throw new RangeError(`amount must be a safe integer number of fen, got ${String(amountFen)}`);
  }
  if (typeof currency !== 'string' || !CURRENCY_CODE.test(currency)) {
    throw new TypeError(`currency must be an ISO 4217 code, got ${JSON.stringify(currency)}`);
  }
  const negative = amountFen < 0;
  // The negation of a safe integer is a safe integer, so this stays exact.
  const abs = negative ? -amountFen : amountFen;
  const cents = abs % 100;
  // abs - cents is an exact multiple of 100, so the quotient is an exact integer.
  const units = (abs - cents) / 100;
  const body = `${groupThousands(String(units))}.${String(cents).padStart(2, '0')}`;
  const symbol = CURRENCY_SYMBOLS[currency];
  const prefixed = symbol === undefined ? `${currency} ${body}` : `${symbol}${body}`;
  return negative ? `-${prefixed}` : prefixed;
}

function groupThousands(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) {
    out += `,${digits.slice(i, i + 3)}`;
  }
  return out;
}
