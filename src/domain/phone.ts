import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A mobile number in E.164, or null when it is not a valid mobile number.
 * Numbers without a country code are read as Chinese (+86).
 */
export function normalizeMobile(input: string): string | null {
  const phone = parsePhoneNumberFromString(input.trim(), 'CN');
  if (!phone?.isValid()) return null;
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return null;
  return phone.number;
}

/**
 * A phone number as staff who do not need it see it: the four digits before the last four
 * hidden (+86139****5678), or all but the last two of a short one.
 */
export function maskPhone(phone: string): string {
  if (phone.length < 9) return '*'.repeat(Math.max(phone.length - 2, 0)) + phone.slice(-2);
  return `${phone.slice(0, -8)}****${phone.slice(-4)}`;
}
