import { describe, expect, it } from 'vitest';
import { fenInChineseWords, fenInEnglishWords } from '../../src/domain/amount-in-words.ts';

describe('amounts in words', () => {
  it('writes renminbi in capital numerals, as on receipts', () => {
    expect(fenInChineseWords(29_900)).toBe('人民币贰佰玖拾玖元整');
    expect(fenInChineseWords(0)).toBe('人民币零元整');
    expect(fenInChineseWords(50)).toBe('人民币伍角');
    expect(fenInChineseWords(5)).toBe('人民币伍分');
    expect(fenInChineseWords(100_005)).toBe('人民币壹仟元零伍分');
    expect(fenInChineseWords(100_507)).toBe('人民币壹仟零伍元零柒分');
    expect(fenInChineseWords(1_234_56)).toBe('人民币壹仟贰佰叁拾肆元伍角陆分');
    expect(fenInChineseWords(10_000_000)).toBe('人民币壹拾万元整');
    expect(fenInChineseWords(100_010_000)).toBe('人民币壹佰万零壹佰元整');
    expect(fenInChineseWords(10_001_000_000)).toBe('人民币壹亿零壹万元整');
    expect(fenInChineseWords(1_000)).toBe('人民币壹拾元整');
  });

  it('writes amounts in English words', () => {
    expect(fenInEnglishWords(29_900)).toBe('two hundred ninety-nine yuan');
    expect(fenInEnglishWords(29_950)).toBe('two hundred ninety-nine yuan and fifty fen');
    expect(fenInEnglishWords(7)).toBe('seven fen');
    expect(fenInEnglishWords(0)).toBe('zero yuan');
    expect(fenInEnglishWords(1_000_013_00)).toBe('one million thirteen yuan');
  });
});
