/**
 * Amounts in words, as on Chinese receipts (大写金额) and English cheques: the
 * cancellation page writes the refund this way next to the figure.
 */
import nzh from 'nzh/cn';

/**
 * Renminbi in capital numerals: 29900 → 人民币贰佰玖拾玖元整, 100005 → 人民币壹仟元零伍分.
 * nzh appends 整 only to an amount given without decimals, so whole yuan go in as an integer.
 */
export function fenInChineseWords(amountFen: number): string {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0)
    throw new RangeError(`cannot write ${amountFen} fen in words`);
  const yuan = Math.floor(amountFen / 100);
  const fen = amountFen % 100;
  return nzh.toMoney(fen === 0 ? String(yuan) : `${yuan}.${String(fen).padStart(2, '0')}`);
}

const EN_ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_SCALES = ['', ' thousand', ' million', ' billion', ' trillion', ' quadrillion'];

function enBelowThousand(value: number): string {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  const parts: string[] = [];
  if (hundreds > 0) parts.push(`${EN_ONES[hundreds]} hundred`);
  if (rest > 0 && rest < 20) parts.push(EN_ONES[rest] as string);
  else if (rest >= 20)
    parts.push(`${EN_TENS[Math.floor(rest / 10)]}${rest % 10 ? `-${EN_ONES[rest % 10]}` : ''}`);
  return parts.join(' ');
}

function enInteger(value: number): string {
  if (value === 0) return 'zero';
  const parts: string[] = [];
  for (let scale = 0, rest = value; rest > 0; scale++, rest = Math.floor(rest / 1000)) {
    if (rest % 1000) parts.unshift(enBelowThousand(rest % 1000) + EN_SCALES[scale]);
  }
  return parts.join(' ');
}

/** 29950 → "two hundred ninety-nine yuan and fifty fen". */
export function fenInEnglishWords(amountFen: number): string {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0)
    throw new RangeError(`cannot write ${amountFen} fen in words`);
  const yuan = Math.floor(amountFen / 100);
  const cents = amountFen % 100;
  if (cents === 0) return `${enInteger(yuan)} yuan`;
  return `${yuan > 0 ? `${enInteger(yuan)} yuan and ` : ''}${enInteger(cents)} fen`;
}
