import { describe, expect, it } from 'vitest';
import { isUuid } from '../../src/domain/uuid.ts';

describe('the one UUID check', () => {
  it('takes the hyphenated hex form in either case', () => {
    expect(isUuid('0b6f2c1e-7f55-4b8e-9a57-3f1d2a4c5e60')).toBe(true);
    expect(isUuid('0B6F2C1E-7F55-4B8E-9A57-3F1D2A4C5E60')).toBe(true);
  });

  it('refuses anything else, including forms only some parsers read', () => {
    for (const value of [
      'not-a-uuid',
      'urn:uuid:0b6f2c1e-7f55-4b8e-9a57-3f1d2a4c5e60',
      '{0b6f2c1e-7f55-4b8e-9a57-3f1d2a4c5e60}',
      '0b6f2c1e7f554b8e9a573f1d2a4c5e60',
      '0b6f2c1e-7f55-4b8e-9a57-3f1d2a4c5e6g',
      '',
      null,
      undefined,
      42,
    ])
      expect(isUuid(value), String(value)).toBe(false);
  });
});
