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
