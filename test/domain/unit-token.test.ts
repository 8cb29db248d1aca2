import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLIC_CODE_PATTERN } from '../../src/domain/public-code.ts';
import { MAX_SERIAL_LENGTH } from '../../src/domain/serial-batch.ts';
import {
  MAX_UNIT_TOKEN_LENGTH,
  signUnitToken,
  type UnitClaim,
  unitUrl,
  verifyUnitToken,
} from '../../src/domain/unit-token.ts';

const SECRET = 'test-link-secret-of-at-least-32-characters';
const OTHER_SECRET = 'another-link-secret-of-at-least-32-chars!';

const claims = fc.record({
  planCode: fc.string({ minLength: 1, maxLength: 16, unit: 'grapheme' }),
  serialNumber: fc.string({ minLength: 1, maxLength: 100, unit: 'grapheme' }),
});
const realistic: UnitClaim = { planCode: 'Ab3dE9xQ12', serialNumber: 'XH0000000001' };

/** A token whose MAC is right for an arbitrary payload, to reach the checks behind the MAC. */
const signRaw = (json: string) => {
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  const mac = createHmac('sha256', SECRET).update(payload).digest().subarray(0, 16).toString('base64url');
  return `${payload}.${mac}`;
};

describe('unit tokens', () => {
  it('round-trips any plan code and serial number', () => {
    fc.assert(
      fc.property(claims, (claim) => {
        const token = signUnitToken(claim, SECRET);
        expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
        expect(verifyUnitToken(token, SECRET)).toEqual(claim);
      }),
    );
  });

  it('is compact enough for a small QR code and is the same for the same unit', () => {
    const token = signUnitToken(realistic, SECRET);
    expect(token.length).toBeLessThan(90);
    expect(signUnitToken(realistic, SECRET)).toBe(token);
    expect(unitUrl('https://yanbao.test', token)).toBe(`https://yanbao.test/u/${token}`);
  });

  it('refuses a token with any single character changed, removed or added', () => {
    const alphabet = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %'.split(''),
    );
    fc.assert(
      fc.property(claims, fc.nat(), alphabet, (claim, at, replacement) => {
        const token = signUnitToken(claim, SECRET);
        const i = at % token.length;
        if (replacement !== token[i]) {
          const changed = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
          expect(verifyUnitToken(changed, SECRET)).toBeNull();
        }
        expect(verifyUnitToken(`${token.slice(0, i)}${token.slice(i + 1)}`, SECRET)).toBeNull();
        const inserted = `${token.slice(0, i)}${replacement}${token.slice(i)}`;
        if (inserted !== token) expect(verifyUnitToken(inserted, SECRET)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every change of the last character, whose spare bits decode to the same bytes', () => {
    const token = signUnitToken(realistic, SECRET);
    const last = token.at(-1);
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      if (c === last) continue;
      expect(verifyUnitToken(`${token.slice(0, -1)}${c}`, SECRET)).toBeNull();
    }
  });

  it('refuses a token signed with another secret', () => {
    fc.assert(
      fc.property(claims, (claim) => {
        expect(verifyUnitToken(signUnitToken(claim, OTHER_SECRET), SECRET)).toBeNull();
      }),
    );
  });

  it('refuses a forged claim carrying a MAC from another token', () => {
    const [, mac] = signUnitToken(realistic, SECRET).split('.');
    const forged = Buffer.from(JSON.stringify({ p: realistic.planCode, s: 'XH0000000002', v: 1 })).toString(
      'base64url',
    );
    expect(verifyUnitToken(`${forged}.${mac}`, SECRET)).toBeNull();
  });

  it('answers null to malformed input, never throws', () => {
    const valid = signUnitToken(realistic, SECRET);
    const malformed = [
      '',
      '.',
      'abc',
      'a.',
      '.b',
      'a.b.c',
      `${valid}.`,
      `.${valid}`,
      `${valid}${valid}`,
      valid.replace('.', '..'),
      valid.replace('.', ''),
      `${valid} `,
      ` ${valid}`,
      'x'.repeat(5000),
      `${'a'.repeat(2000)}.${valid.split('.')[1]}`,
      signRaw('not json'),
      signRaw('null'),
      signRaw('[]'),
      signRaw('"XH0000000001"'),
      signRaw(JSON.stringify({ p: 'Ab3dE9xQ12', s: 'XH0000000001' })),
      signRaw(JSON.stringify({ p: 'Ab3dE9xQ12', s: 'XH0000000001', v: 2 })),
      signRaw(JSON.stringify({ p: 'Ab3dE9xQ12', s: 42, v: 1 })),
      signRaw(JSON.stringify({ p: '', s: 'XH0000000001', v: 1 })),
      signRaw(JSON.stringify({ s: 'XH0000000001', v: 1 })),
    ];
    for (const token of malformed) expect(verifyUnitToken(token, SECRET), token.slice(0, 60)).toBeNull();
    for (const token of [undefined, null, 42, {}] as unknown as string[])
      expect(verifyUnitToken(token, SECRET)).toBeNull();
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (junk) => verifyUnitToken(junk, SECRET) === null));
  });

  it('the check behind the MAC accepts a well-formed claim it did not sign itself', () => {
    expect(verifyUnitToken(signRaw(JSON.stringify({ p: 'P1', s: 'S1', v: 1 })), SECRET)).toEqual({
      planCode: 'P1',
      serialNumber: 'S1',
    });
  });
});

describe('unit token length', () => {
  it('fits every unit a batch can name within the length the routes and the router accept', () => {
    // A batch's serials: up to MAX_SERIAL_LENGTH of [A-Za-z0-9._-] (src/domain/serial-batch.ts).
    const serial = fc.stringMatching(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${MAX_SERIAL_LENGTH - 1}}$`));
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(PUBLIC_CODE_PATTERN)), serial, (planCode, serialNumber) => {
        const token = signUnitToken({ planCode, serialNumber }, SECRET);
        expect(token.length).toBeLessThanOrEqual(MAX_UNIT_TOKEN_LENGTH);
        expect(verifyUnitToken(token, SECRET)).toEqual({ planCode, serialNumber });
      }),
    );
    const longest = signUnitToken(
      { planCode: 'Ab3dE9xQ12', serialNumber: 'X'.repeat(MAX_SERIAL_LENGTH) },
      SECRET,
    );
    expect(longest.length).toBe(198);
  });
});
