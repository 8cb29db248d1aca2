/**
 * Which units a per-unit QR batch covers: a list of serial numbers and/or a
 * range like XH0000000001..XH0000000250, trimmed, deduplicated in order
 * (listed serials first, then the range), at most MAX_UNITS_PER_BATCH, each
 * checked against the main product's serial format. Pure: the API validates
 * with it and the batch activities expand the same request with it.
 */
import { RE2JS } from 're2js';
import type { Message } from '../i18n/catalogue.ts';
import { type FieldProblem, fieldMessage, fieldProblem } from './errors.ts';

export const MAX_UNITS_PER_BATCH = 10_000;
export const MAX_SERIAL_LENGTH = 100;
/** Beyond this many problems a request is answered with a count, not a 10,000-line list. */
const MAX_PROBLEMS = 50;

/**
 * Serials become file names in the ZIP and text on labels, so they are limited
 * to characters that are safe everywhere (no path separators, no spaces).
 */
const SERIAL_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface SerialRange {
  from: string;
  to: string;
}

export interface SerialBatchRequest {
  serials?: string[];
  range?: SerialRange;
}

export interface SerialBatch {
  serials: string[];
  problems: FieldProblem[];
}

/**
 * The product's serialPattern as a whole-string test. Manufacturers type these
 * patterns, so they run in RE2 (re2js, pure JS): matching is linear in the
 * serial's length whatever the pattern, where a backtracking engine takes
 * 2^n steps for `(a+)+` on n characters. RE2 has no lookarounds or
 * backreferences; such a pattern throws here and is refused at product entry
 * (serialPatternProblem). `testExact` matches the whole serial, so an
 * unanchored pattern (`XH[0-9]{10}`, `A|B`) means the same as its anchored form.
 */
export function serialMatcher(pattern: string | null | undefined): ((serial: string) => boolean) | null {
  if (!pattern) return null;
  const regex = RE2JS.compile(pattern);
  return (serial) => regex.testExact(serial);
}

/** Why a manufacturer's serialPattern cannot be used, or null when it can. */
export function serialPatternProblem(pattern: string): Message | null {
  try {
    serialMatcher(pattern);
    return null;
  } catch (err) {
    // RE2's message names the construct, e.g. "invalid or unsupported Perl syntax: `(?=`".
    const detail = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : '';
    return fieldMessage('serialPatternUnsupported', { detail });
  }
}

/** Prefix and numeric suffix of a range end: "XH0000000250" → ["XH", "0000000250"]. */
function splitSerial(serial: string): { prefix: string; digits: string } | null {
  const match = /^(.*?)(\d+)$/.exec(serial);
  return match ? { prefix: match[1] ?? '', digits: match[2] ?? '' } : null;
}

function shapeProblem(serial: string): Message | null {
  if (serial === '') return fieldMessage('serialEmpty');
  if (serial.length > MAX_SERIAL_LENGTH) return fieldMessage('serialTooLong', { limit: MAX_SERIAL_LENGTH });
  if (!SERIAL_CHARACTERS.test(serial)) return fieldMessage('serialCharacters');
  return null;
}

/** Expands and checks a batch request; `serials` is meaningful only when `problems` is empty. */
export function expandSerialBatch(
  request: SerialBatchRequest,
  options: { serialPattern?: string | null; maxUnits?: number } = {},
): SerialBatch {
  const maxUnits = options.maxUnits ?? MAX_UNITS_PER_BATCH;
  const problems: FieldProblem[] = [];
  let matches: ((serial: string) => boolean) | null = null;
  try {
    matches = serialMatcher(options.serialPattern);
  } catch {
    problems.push(fieldProblem('serialPattern', 'badRegex'));
  }
  const formatMessage = fieldMessage('serialFormat', { pattern: options.serialPattern ?? '' });

  const listed = request.serials ?? [];
  if (request.serials === undefined && request.range === undefined)
    problems.push(fieldProblem('serials', 'needUnits'));
  if (listed.length > maxUnits)
    problems.push(fieldProblem('serials', 'batchListLimit', { n: listed.length, max: maxUnits }));

  const seen = new Set<string>();
  const serials: string[] = [];
  let unlisted = 0;
  const addProblem = (problem: FieldProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
    else unlisted++;
  };

  const problemOf = (serial: string): Message | null =>
    shapeProblem(serial) ?? (matches && !matches(serial) ? formatMessage : null);

  if (listed.length <= maxUnits) {
    for (const [i, raw] of listed.entries()) {
      const serial = raw.trim();
      const problem = problemOf(serial);
      if (problem) addProblem({ field: `serials/${i}`, ...problem });
      else if (!seen.has(serial)) {
        seen.add(serial);
        serials.push(serial);
      }
    }
  }

  if (request.range) {
    const from = request.range.from.trim();
    const to = request.range.to.trim();
    const endProblems: FieldProblem[] = [];
    for (const [field, serial] of [
      ['range.from', from],
      ['range.to', to],
    ] as const) {
      const problem = problemOf(serial) ?? (splitSerial(serial) ? null : fieldMessage('rangeEndDigits'));
      if (problem) endProblems.push({ field, ...problem });
    }
    problems.push(...endProblems);
    const start = splitSerial(from);
    const end = splitSerial(to);
    if (endProblems.length === 0 && start && end) {
      if (start.prefix !== end.prefix)
        problems.push(
          start.prefix
            ? fieldProblem('range.to', 'rangePrefix', { prefix: start.prefix })
            : fieldProblem('range.to', 'rangeNoPrefix'),
        );
      else if (start.digits.length !== end.digits.length)
        problems.push(fieldProblem('range.to', 'rangeDigits', { n: start.digits.length }));
      else {
        // BigInt: a 20-digit serial suffix is beyond Number's exact integers.
        const first = BigInt(start.digits);
        const last = BigInt(end.digits);
        const count = last - first + 1n;
        if (last < first) problems.push(fieldProblem('range.to', 'rangeBefore'));
        else if (count > BigInt(maxUnits))
          problems.push(fieldProblem('range', 'batchRangeLimit', { n: count.toString(), max: maxUnits }));
        else {
          const width = start.digits.length;
          let rangeMisses = 0;
          let firstMiss = '';
          for (let n = first; n <= last; n++) {
            const serial = `${start.prefix}${n.toString().padStart(width, '0')}`;
            if (matches && !matches(serial)) {
              if (rangeMisses++ === 0) firstMiss = serial;
            } else if (!seen.has(serial)) {
              seen.add(serial);
              serials.push(serial);
            }
          }
          if (rangeMisses > 0)
            problems.push(
              fieldProblem('range', 'rangeMisses', {
                n: rangeMisses,
                first: firstMiss,
                pattern: options.serialPattern ?? '',
              }),
            );
          if (serials.length > maxUnits)
            problems.push(fieldProblem('serials', 'batchTotalLimit', { n: serials.length, max: maxUnits }));
        }
      }
    }
  }

  if (unlisted > 0) problems.push(fieldProblem('serials', 'moreInvalid', { n: unlisted }));
  return { serials: problems.length === 0 ? serials : [], problems };
}
