import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoverageStartRule } from '../../src/domain/catalog.ts';
import { BENEFIT_COVERAGE_TYPES, COVERAGE_TYPES, type CoverageType } from '../../src/domain/catalog.ts';
import {
  capProblem,
  claimableCoverageTypes,
  claimProblems,
  cleanFileName,
  decisionProblems,
  earliestFaultDate,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  nextStepOf,
  orderClaimability,
  orderStatusAfterRepair,
  photoProblems,
  photoTypeOf,
  REPAIR_OUTCOME_LIST,
  remainingCapFen,
  repairShapeProblems,
  type UploadedPhoto,
} from '../../src/domain/claim-rules.ts';
import { addDays, compareDates, coverageWindow, daysBetween, maxDate } from '../../src/domain/coverage.ts';
import { CLAIM_STATUSES, REPAIR_OUTCOMES } from '../../src/domain/entities/claim.entity.ts';
import { ORDER_STATUSES } from '../../src/domain/entities/order.entity.ts';
import { translate } from '../../src/i18n/catalogue.ts';
import { englishOf, inEnglish } from '../helpers/messages.ts';

const day = (n: number) => addDays('2024-01-01', n);
const fieldsOf = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('filing a claim', () => {
  const facts = {
    orderStatus: 'active' as const,
    coverageStart: '2026-01-10',
    coverageEnd: '2027-01-09',
    paidOn: '2026-01-05',
    rule: { kind: 'after_base_warranty' } as CoverageStartRule,
    claimableTypes: ['parts_labour', 'screen'] as CoverageType[],
    today: '2026-06-01',
  };
  const rules = fc.oneof(
    fc.constantFrom<CoverageStartRule>({ kind: 'after_base_warranty' }, { kind: 'from_purchase' }),
    fc.integer({ min: 0, max: 90 }).map((days): CoverageStartRule => ({ kind: 'waiting_days', days })),
  );

  it('accepts a fault inside the coverage window, on both ends too', () => {
    for (const faultDate of ['2026-01-10', '2026-03-01', '2026-06-01'])
      expect(claimProblems({ faultDate, coverageType: 'screen' }, facts)).toEqual([]);
    expect(
      claimProblems({ faultDate: '2027-01-09', coverageType: 'screen' }, { ...facts, today: '2027-02-01' }),
    ).toEqual([]);
  });

  it('names the fault date when it is outside the window, in the future or not a date', () => {
    const messages = (faultDate: string, today = facts.today) =>
      inEnglish(claimProblems({ faultDate, coverageType: 'screen' }, { ...facts, today })).map(
        (p) => `${p.field} ${p.message}`,
      );
    expect(messages('2026-01-09')).toEqual(['faultDate is before coverage starts on 2026-01-10']);
    expect(messages('2027-01-10', '2027-03-01')).toEqual(['faultDate is after coverage ended on 2027-01-09']);
    expect(messages('2026-06-02')).toEqual(['faultDate is in the future']);
    expect(messages('2026-02-30')).toEqual(['faultDate must be a date (YYYY-MM-DD)']);
    expect(
      inEnglish(
        claimProblems({ faultDate: '2026-03-01', coverageType: 'screen' }, { ...facts, coverageStart: null }),
      ),
    ).toEqual([{ field: 'faultDate', message: 'is not covered: this order has no coverage' }]);
  });

  it('refuses a fault from before the plan was paid, naming the earliest date it covers', () => {
    // A from_purchase plan bought on 2026-03-01 for a unit bought on 2026-01-10: covered from the 10th on paper.
    const bought = { ...facts, rule: { kind: 'from_purchase' } as CoverageStartRule, paidOn: '2026-03-01' };
    const problems = (faultDate: string, over = {}) =>
      inEnglish(claimProblems({ faultDate, coverageType: 'screen' }, { ...bought, ...over }));
    expect(problems('2026-02-28')).toEqual([
      {
        field: 'faultDate',
        message:
          'is before 2026-03-01, the earliest fault date this plan covers (it was bought on 2026-03-01)',
      },
    ]);
    expect(problems('2026-03-01')).toEqual([]);
    // Waiting days count from payment even if the stored start said otherwise.
    const waiting = { rule: { kind: 'waiting_days', days: 15 }, coverageStart: '2026-03-01' };
    expect(problems('2026-03-15', waiting).map((p) => p.message)).toEqual([
      'is before 2026-03-16, the earliest fault date this plan covers (it was bought on 2026-03-01)',
    ]);
    expect(problems('2026-03-16', waiting)).toEqual([]);
    expect(problems('2026-03-01', { paidOn: null })).toEqual([
      { field: 'faultDate', message: 'is not covered: this order has no coverage' },
    ]);
  });

  it('takes the later of coverage start and payment plus waiting days as the earliest fault date (property)', () => {
    fc.assert(
      fc.property(
        rules,
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 36 }),
        (rule, unitBought, paidAfter, baseWarrantyMonths) => {
          const paidOn = day(unitBought + paidAfter);
          const window = coverageWindow({
            rule,
            productPurchaseDate: day(unitBought),
            baseWarrantyMonths,
            termMonths: 12,
            paidOn,
          });
          const earliest = earliestFaultDate(window.start, paidOn, rule);
          const waiting = rule.kind === 'waiting_days' ? rule.days : 0;
          return (
            compareDates(earliest, window.start) >= 0 &&
            daysBetween(paidOn, earliest) >= waiting &&
            (earliest === window.start || earliest === addDays(paidOn, waiting)) &&
            // A waiting_days plan's coverage already starts when its waiting ends.
            (rule.kind !== 'waiting_days' || earliest === window.start)
          );
        },
      ),
    );
  });

  it('refuses a fault date exactly when it lies before the earliest covered day, after the end or after today (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: -400, max: 2000 }),
        rules,
        fc.integer({ min: -100, max: 3700 }),
        fc.integer({ min: 0, max: 3700 }),
        (start, length, paid, rule, fault, today) => {
          const window = { coverageStart: day(start), coverageEnd: day(start + length) };
          const faultDate = day(fault);
          const problems = claimProblems(
            { faultDate, coverageType: 'screen' },
            { ...facts, ...window, paidOn: day(paid), rule, today: day(today) },
          );
          const waiting = rule.kind === 'waiting_days' ? rule.days : 0;
          const earliest = maxDate(window.coverageStart, day(paid + waiting));
          const covered =
            compareDates(earliest, faultDate) <= 0 &&
            compareDates(faultDate, window.coverageEnd) <= 0 &&
            fault <= today;
          return covered === (problems.length === 0);
        },
      ),
    );
  });

  it('accepts only coverage types the plan promises (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...COVERAGE_TYPES]),
        fc.constantFrom(...COVERAGE_TYPES),
        (clauseTypes, asked) => {
          const claimable = claimableCoverageTypes(clauseTypes.map((coverageType) => ({ coverageType })));
          const problems = claimProblems(
            { faultDate: '2026-03-01', coverageType: asked },
            { ...facts, claimableTypes: claimable },
          );
          const promised = clauseTypes.includes(asked) && BENEFIT_COVERAGE_TYPES.includes(asked);
          return (
            claimable.every((t) => clauseTypes.includes(t) && BENEFIT_COVERAGE_TYPES.includes(t)) &&
            promised === !fieldsOf(problems).includes('coverageType')
          );
        },
      ),
    );
    // Terms every plan carries are not something to repair.
    expect(claimableCoverageTypes([{ coverageType: 'exclusions' }, { coverageType: 'battery' }])).toEqual([
      'battery',
    ]);
  });

  it('takes claims only on active orders', () => {
    for (const status of ORDER_STATUSES) expect(orderClaimability(status) === null).toBe(status === 'active');
    expect(translate('en', orderClaimability('ended') ?? '')).toMatch(/replaced/);
  });
});

describe('photos', () => {
  const JPEG = [0xff, 0xd8, 0xff, 0xe0];
  const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const WEBP = [...Buffer.from('RIFF'), 1, 2, 3, 4, ...Buffer.from('WEBPVP8 ')];
  const bytes = (head: number[], tail: number[] = []) => Uint8Array.from([...head, ...tail]);
  const photo = (over: Partial<UploadedPhoto> = {}): UploadedPhoto => ({
    fileName: 'a.png',
    declaredType: 'image/png',
    bytes: bytes(PNG, [1, 2, 3]),
    truncated: false,
    ...over,
  });

  it('knows JPEG, PNG and WebP by their magic bytes, whatever follows', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        const rest = [...tail];
        return (
          photoTypeOf(bytes(JPEG, rest)) === 'image/jpeg' &&
          photoTypeOf(bytes(PNG, rest)) === 'image/png' &&
          photoTypeOf(bytes(WEBP, rest)) === 'image/webp'
        );
      }),
    );
  });

  it('recognises nothing else (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const starts = (sig: number[]) => sig.every((b, i) => data[i] === b);
        const isWebp =
          data.length >= 12 &&
          Buffer.from(data.subarray(0, 4)).toString('latin1') === 'RIFF' &&
          Buffer.from(data.subarray(8, 12)).toString('latin1') === 'WEBP';
        const image =
          (data.length >= 3 && starts(JPEG.slice(0, 3))) || (data.length >= 8 && starts(PNG)) || isWebp;
        return image === (photoTypeOf(data) !== null);
      }),
    );
    expect(photoTypeOf(Buffer.from('GIF89a......'))).toBeNull();
    expect(photoTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('names each photo that is too large, empty, of another type or disguised', () => {
    expect(photoProblems([photo(), photo({ declaredType: 'image/jpeg' })])).toEqual([]);
    expect(
      inEnglish(
        photoProblems([
          photo({ truncated: true }),
          photo({ bytes: new Uint8Array() }),
          photo({ declaredType: 'image/gif' }),
          photo({ bytes: Buffer.from('MZ this is a program') }),
        ]),
      ),
    ).toEqual([
      { field: 'photos/0', message: `is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB` },
      { field: 'photos/1', message: 'is empty' },
      { field: 'photos/2', message: 'must be a JPEG, PNG or WebP image' },
      { field: 'photos/3', message: 'must be a JPEG, PNG or WebP image' },
    ]);
  });

  it(`allows at most ${MAX_PHOTOS} photos, counting the ones not kept`, () => {
    const four = Array.from({ length: MAX_PHOTOS }, () => photo());
    expect(photoProblems(four)).toEqual([]);
    expect(fieldsOf(photoProblems(four, 1))).toEqual(['photos']);
    expect(fieldsOf(photoProblems([...four, photo()]))).toEqual(['photos']);
  });

  it('keeps file names plain (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (name) => {
        const clean = cleanFileName(name);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none are left
        return clean.length > 0 && clean.length <= 200 && !/[\\/"\u0000-\u001f\u007f]/.test(clean);
      }),
    );
    expect(cleanFileName('C:\\Users\\me\\屏幕.jpg')).toBe('屏幕.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
  });
});

describe('the service desk', () => {
  it('needs a reason to reject', () => {
    expect(decisionProblems({ decision: 'accept', reason: '' })).toEqual([]);
    expect(decisionProblems({ decision: 'reject', reason: '人为损坏，不在保障范围' })).toEqual([]);
    expect(fieldsOf(decisionProblems({ decision: 'reject', reason: '  ' }))).toEqual(['reason']);
    expect(fieldsOf(decisionProblems({ decision: 'maybe', reason: 'x' }))).toEqual(['decision']);
  });

  it('checks the shape of a repair record', () => {
    expect(repairShapeProblems({ repairCostFen: 0, parts: '', outcome: 'no_fault_found' })).toEqual([]);
    expect(
      fieldsOf(repairShapeProblems({ repairCostFen: 1.5, parts: 'x'.repeat(2001), outcome: 'fixed' })),
    ).toEqual(['repairCostFen', 'parts', 'outcome']);
    expect(fieldsOf(repairShapeProblems({ repairCostFen: -1, parts: '', outcome: 'repaired' }))).toEqual([
      'repairCostFen',
    ]);
    expect([...REPAIR_OUTCOME_LIST].sort()).toEqual([...REPAIR_OUTCOMES].sort());
  });

  it('never lets the approved repair costs of an order pass the retail price (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 30 }),
        (retailPriceFen, attempts) => {
          let approvedFen = 0;
          for (const repairCostFen of attempts) {
            const problem = capProblem({ retailPriceFen, approvedFen, repairCostFen, currency: 'CNY' });
            const fits = approvedFen + repairCostFen <= retailPriceFen;
            if (fits !== (problem === null)) return false;
            if (problem && problem.field !== 'repairCostFen') return false;
            if (!problem) approvedFen += repairCostFen;
            if (approvedFen > retailPriceFen) return false;
            if (remainingCapFen(retailPriceFen, approvedFen) !== retailPriceFen - approvedFen) return false;
          }
          return true;
        },
      ),
    );
  });

  it('takes a repair of exactly what is left, and not one fen more', () => {
    const base = { retailPriceFen: 299_900, approvedFen: 200_000, currency: 'CNY' };
    expect(capProblem({ ...base, repairCostFen: 99_900 })).toBeNull();
    expect(englishOf(capProblem({ ...base, repairCostFen: 99_901 }))).toEqual({
      field: 'repairCostFen',
      message: "exceeds the claim cap: ¥999.00 left of the product's retail price ¥2,999.00",
    });
  });

  it('ends an active plan with a replacement, and nothing else', () => {
    for (const status of ORDER_STATUSES)
      for (const outcome of REPAIR_OUTCOMES)
        expect(orderStatusAfterRepair(status, outcome)).toBe(
          outcome === 'replaced' && status === 'active' ? 'ended' : status,
        );
  });

  it('allows each desk step only at its status', () => {
    expect(CLAIM_STATUSES.map(nextStepOf)).toEqual(['decide', 'repair', null, 'close', null]);
  });
});
