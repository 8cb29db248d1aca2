/**
 * Money and dates for display and input. Amounts are integer fen throughout:
 * formatting splits with integer division, parsing reads the digits of the
 * typed string; no amount is ever multiplied as a float.
 */

function groupThousands(digits) {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/** 129900 → "¥1,299.00" (CNY); other currencies print their code. */
export function formatFen(amountFen, currency = 'CNY') {
  if (!Number.isSafeInteger(amountFen)) return '—';
  const negative = amountFen < 0;
  const abs = negative ? -amountFen : amountFen;
  const cents = abs % 100;
  const units = (abs - cents) / 100;
  const body = `${groupThousands(String(units))}.${String(cents).padStart(2, '0')}`;
  const prefixed = currency === 'CNY' ? `¥${body}` : `${currency} ${body}`;
  return negative ? `-${prefixed}` : prefixed;
}

/** 299900 → "2999.00", the form of an amount typed into a yuan field. */
export function fenToYuanInput(amountFen) {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) return '';
  const cents = amountFen % 100;
  return `${(amountFen - cents) / 100}.${String(cents).padStart(2, '0')}`;
}

const YUAN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/**
 * "2,999.5" / "¥2999.50" / "2999" → integer fen, or null when it is not an
 * amount with at most two decimals. Whole yuan and fen are read as separate
 * integers, so the result is exact.
 */
export function parseYuanToFen(text) {
  const cleaned = String(text)
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/[,\s]/g, '');
  const match = YUAN.exec(cleaned);
  if (!match) return null;
  const whole = Number(match[1]);
  const fen = Number((match[2] ?? '').padEnd(2, '0'));
  const total = whole * 100 + fen;
  return Number.isSafeInteger(total) ? total : null;
}

const pad = (n) => String(n).padStart(2, '0');

/** ISO timestamp → "2026-03-01 14:05" in the viewer's time zone. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A score 0..1 as a whole percentage. */
export const formatScore = (score) => `${Math.round(score * 100)}%`;

/**
 * How long something has waited, in its largest whole unit: 10800 → "3 hours" / "3小时". Intl's unit
 * format carries the words and plurals of both languages, so the catalogue needs none.
 */
export function formatWaiting(seconds, locale) {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const [unit, size] =
    seconds >= 86_400 ? ['day', 86_400] : seconds >= 3600 ? ['hour', 3600] : ['minute', 60];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(
    Math.floor(seconds / size),
  );
}
