import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usccCheckCharacter, usccProblem } from '../../src/domain/uscc.ts';
import { translate } from '../../src/i18n/catalogue.ts';

const inWords = (problem: ReturnType<typeof usccProblem>) => problem && translate('en', problem);

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const body17 = fc
  .array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 })
  .map((c) => c.join(''));

describe('unified social credit code', () => {
  it('accepts published real-format codes', () => {
    // Well-known public examples of valid codes.
    expect(usccProblem('91350100M000100Y43')).toBeNull();
    expect(usccProblem('91110000802100433B')).toBeNull();
    expect(usccProblem('91110000802100433b')).toBeNull();
  });

  it('names what is wrong', () => {
    expect(inWords(usccProblem('9135010'))).toBe('must be exactly 18 characters');
    expect(inWords(usccProblem('91350100M000100Y4I'))).toMatch(/character 18 \('I'\) is not allowed/);
    expect(inWords(usccProblem('91350100M000100Y44'))).toBe('check digit does not match');
  });

  it('accepts every code whose last character is the computed check character', () => {
    fc.assert(fc.property(body17, (body) => usccProblem(body + usccCheckCharacter(body)) === null));
  });

  it('rejects every single-character change of a valid code', () => {
    fc.assert(
      fc.property(
        body17,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...ALPHABET),
        (body, position, replacement) => {
          const valid = body + usccCheckCharacter(body);
          fc.pre(valid[position] !== replacement);
          const altered = valid.slice(0, position) + replacement + valid.slice(position + 1);
          // Mod-31 with weights coprime to 31 detects every single substitution.
          return usccProblem(altered) !== null;
        },
      ),
    );
  });
});
