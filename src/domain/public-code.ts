import { randomInt } from 'node:crypto';

/** Base58: no 0/O/I/l, so a code read off a label is not mistyped. */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const PUBLIC_CODE_LENGTH = 10;

/** A short unguessable public code: 10 base58 characters ≈ 58 bits from the CSPRNG. */
export function mintPublicCode(): string {
  let code = '';
  for (let i = 0; i < PUBLIC_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export const PUBLIC_CODE_PATTERN = `^[${ALPHABET}]{${PUBLIC_CODE_LENGTH}}$`;

/** Where a plan's QR code points: its landing page, by public code. */
export const publicPlanUrl = (publicBaseUrl: string, code: string) => `${publicBaseUrl}/w/${code}`;
