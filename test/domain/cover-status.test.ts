/** What a certificate's check reports: the cover's status on a day, and the serial as it may be shown. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverStatus, maskSerial } from '../../src/domain/cover-status.ts';
import { addDays } from '../../src/domain/coverage.ts';

describe('coverStatus', () => {
  const paid = { status: 'active' as const, coverageStart: '2026-03-15', coverageEnd: '2028-03-14' };

  it('follows the coverage dates of an active order, both ends included', () => {
    expect(coverStatus(paid, '2026-03-14')).toBe('not_started');
    expect(coverStatus(paid, '2026-03-15')).toBe('active');
    expect(coverStatus(paid, '2028-03-14')).toBe('active');
    expect(coverStatus(paid, '2028-03-15')).toBe('ended');
  });

  it('reports a cancelled, ended, expired or unpaid order as such, whatever the day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cancelled', 'ended', 'expired', 'pending_payment') as fc.Arbitrary<
          'cancelled' | 'ended' | 'expired' | 'pending_payment'
        >,
        fc.integer({ min: -800, max: 1600 }),
        (status, offset) => {
          expect(coverStatus({ ...paid, status }, addDays(paid.coverageStart, offset))).toBe(status);
        },
      ),
    );
  });
});

describe('maskSerial', () => {
  it('shows the first 3 and last 4 characters of a serial, less of a short one', () => {
    expect(maskSerial('HX9A1234567890')).toBe('HX9*******7890');
    expect(maskSerial('SN123456789X')).toBe('SN1*****789X');
    expect(maskSerial('SN1234567')).toBe('S******67');
    expect(maskSerial('AB1234')).toBe('A***34');
    expect(maskSerial('ABCDE')).toBe('*****');
  });

  it('keeps the length and the shown characters in place, never more than 7 of them nor 60%', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9-]{0,100}$/), (serial) => {
        const masked = [...maskSerial(serial)];
        expect(masked).toHaveLength(serial.length);
        const shown = masked.filter((c, i) => c !== '*' && c === serial[i]).length;
        expect(masked.filter((c) => c !== '*')).toHaveLength(shown);
        expect(shown).toBeLessThanOrEqual(7);
        expect(shown * 5).toBeLessThanOrEqual(serial.length * 3);
      }),
    );
  });
});
