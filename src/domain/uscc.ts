/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters
 * from a 31-symbol alphabet; the last is a mod-31 check character over the
 * first 17 with fixed weights.
 */
import type { Message } from '../i18n/catalogue.ts';
import { fieldMessage } from './errors.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) throw new Error(`invalid character at position ${i + 1}`);
    sum += value * (WEIGHTS[i] as number);
  }
  return ALPHABET[(31 - (sum % 31)) % 31] as string;
}

/** Why the code is invalid, or null when it is valid. Accepts lower case. */
export function usccProblem(code: string): Message | null {
  const normalized = code.toUpperCase();
  if (normalized.length !== 18) return fieldMessage('usccLength');
  for (let i = 0; i < 18; i++) {
    if (!ALPHABET.includes(normalized[i] as string))
      return fieldMessage('usccCharacter', { n: i + 1, c: normalized[i] });
  }
  if (usccCheckCharacter(normalized.slice(0, 17)) !== normalized[17]) return fieldMessage('usccCheck');
  return null;
}
