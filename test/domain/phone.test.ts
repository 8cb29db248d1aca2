import { describe, expect, it } from 'vitest';
import { maskPhone, normalizeMobile } from '../../src/domain/phone.ts';

describe('mobile phone numbers', () => {
  it('reads Chinese mobiles with or without +86 and spaces', () => {
    expect(normalizeMobile('13812345678')).toBe('+8613812345678');
    expect(normalizeMobile('+86 138 1234 5678')).toBe('+8613812345678');
    expect(normalizeMobile('8613812345678')).toBe('+8613812345678');
  });
  it('accepts foreign mobiles given with their country code', () => {
    expect(normalizeMobile('+44 7911 123456')).toBe('+447911123456');
  });
  it('rejects landlines, short numbers and text', () => {
    expect(normalizeMobile('010 6552 9988')).toBeNull();
    expect(normalizeMobile('1381234')).toBeNull();
    expect(normalizeMobile('not a phone')).toBeNull();
    expect(normalizeMobile('12345678901')).toBeNull();
  });
  it('masks a number to what staff need: its country, network and last four digits', () => {
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
    expect(maskPhone('+447911123456')).toBe('+4479****3456');
    expect(maskPhone('1234567')).toBe('*****67');
  });
});
