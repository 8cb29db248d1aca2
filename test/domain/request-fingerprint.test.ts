import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cancellationFingerprint,
  claimFingerprint,
  type RegistrationRequest,
  registrationFingerprint,
  requestFingerprint,
} from '../../src/domain/request-fingerprint.ts';

const registration: RegistrationRequest = {
  planId: '0b6f2c1e-7f55-4b8e-9a57-3f1d2a4c5e60',
  consumerName: '张三',
  consumerPhone: '+8613912345678',
  serialNumber: 'XH1000000001',
  productPurchaseDate: '2026-11-20',
  paymentProvider: 'sandbox',
};
const FIELDS = Object.keys(registration) as (keyof RegistrationRequest)[];

describe('request fingerprints', () => {
  it('is the same for the same registration however it was typed (spaces, phone format, key order)', () => {
    const fp = registrationFingerprint(registration);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(
      registrationFingerprint({
        paymentProvider: 'sandbox',
        productPurchaseDate: '2026-11-20',
        serialNumber: '  XH1000000001 ',
        consumerPhone: '139 1234 5678',
        consumerName: ' 张三',
        planId: registration.planId,
      }),
    ).toBe(fp);
    // "é" typed as one code point or as e + combining accent is the same name.
    expect(registrationFingerprint({ ...registration, consumerName: 'Ren\u00e9' })).toBe(
      registrationFingerprint({ ...registration, consumerName: 'Rene\u0301' }),
    );
  });

  it('changes when any field of a registration changes, another manufacturer’s plan included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIELDS),
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '' && s === s.normalize('NFC')),
        (field, value) => {
          fc.pre(value.trim() !== registration[field]);
          return (
            registrationFingerprint({ ...registration, [field]: value }) !==
            registrationFingerprint(registration)
          );
        },
      ),
    );
  });

  it('cannot be matched by moving text from one field into its neighbour', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        fc.pre(a !== c);
        return requestFingerprint('x', { p: a + b, q: c }) !== requestFingerprint('x', { p: c, q: b + a });
      }),
    );
    expect(requestFingerprint('x', { p: 'a|b', q: '' })).not.toBe(
      requestFingerprint('x', { p: 'a', q: '|b' }),
    );
    expect(requestFingerprint('x', { p: '1' })).not.toBe(requestFingerprint('x', { p: 1 }));
    expect(requestFingerprint('claim', { p: '1' })).not.toBe(requestFingerprint('registration', { p: '1' }));
  });

  it('tells claims apart by description, date, coverage type and photos', () => {
    const claim = {
      faultDescription: 'screen cracked',
      faultDate: '2026-11-30',
      contactPhone: '13912345678',
      coverageType: 'accidental_damage',
      photos: [new Uint8Array([1, 2, 3])],
    };
    const fp = claimFingerprint(claim);
    expect(claimFingerprint({ ...claim, faultDescription: ' screen cracked\n' })).toBe(fp);
    expect(claimFingerprint({ ...claim, contactPhone: '+86 139 1234 5678' })).toBe(fp);
    for (const other of [
      { faultDescription: 'battery swollen' },
      { faultDate: '2026-11-29' },
      { coverageType: 'malfunction' },
      { contactPhone: '13912345679' },
      { photos: [new Uint8Array([1, 2, 4])] },
      { photos: [] },
    ])
      expect(claimFingerprint({ ...claim, ...other })).not.toBe(fp);
  });

  it('tells cancellations apart by reason and confirmed refund; a blank reason is none', () => {
    const fp = cancellationFingerprint({ reason: 'moved abroad', expectedRefundFen: 29_900 });
    expect(cancellationFingerprint({ reason: ' moved abroad ', expectedRefundFen: 29_900 })).toBe(fp);
    expect(cancellationFingerprint({ reason: 'moved abroad', expectedRefundFen: 29_800 })).not.toBe(fp);
    expect(cancellationFingerprint({ reason: 'too expensive', expectedRefundFen: 29_900 })).not.toBe(fp);
    expect(cancellationFingerprint({ reason: 'moved abroad' })).not.toBe(fp);
    expect(cancellationFingerprint({ reason: '  ' })).toBe(cancellationFingerprint({}));
  });
});
