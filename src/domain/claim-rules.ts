/**
 * What a repair request (报修) must satisfy, and the claim cap. Pure: the
 * consumer page and the public API check a claim before anything is stored,
 * ClaimWorkflow's Update validators check the service desk's input, and the
 * repair activity applies the cap with the order row locked.
 */

import type { Message } from '../i18n/catalogue.ts';
import { BENEFIT_COVERAGE_TYPES, type CoverageStartRule, type CoverageType } from './catalog.ts';
import { addDays, compareDates, isCalendarDate, maxDate } from './coverage.ts';
import { durationToMs } from './duration.ts';
import type { ClaimStatus, RepairOutcome } from './entities/claim.entity.ts';
import type { OrderStatus } from './entities/order.entity.ts';
import { errorMessage, type FieldProblem, fieldProblem } from './errors.ts';
import { formatFen } from './money.ts';

/** "CL" + 16 characters of the same alphabet as order numbers (80 bits). */
export const CLAIM_NUMBER_PATTERN = '^CL[A-Z2-9]{16}$';

export const MAX_PHOTOS = 4;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** Every outcome exactly once (the Record type makes a missing or extra one a compile error). */
const OUTCOMES: Record<RepairOutcome, true> = { repaired: true, replaced: true, no_fault_found: true };
export const REPAIR_OUTCOME_LIST = Object.keys(OUTCOMES) as RepairOutcome[];

/** Claim statuses after which nothing more happens. */
export const FINAL_CLAIM_STATUSES: readonly ClaimStatus[] = ['rejected', 'closed'];

// --- filing a claim ----------------------------------------------------------

/** The repairable coverage types a plan version's clauses promise (terms like exclusions are not claimable). */
export function claimableCoverageTypes(clauses: readonly { coverageType: CoverageType }[]): CoverageType[] {
  const promised = new Set(clauses.map((c) => c.coverageType));
  return BENEFIT_COVERAGE_TYPES.filter((t) => promised.has(t));
}

export interface ClaimFacts {
  orderStatus: OrderStatus;
  /** YYYY-MM-DD, inclusive. */
  coverageStart: string | null;
  /** YYYY-MM-DD, inclusive. */
  coverageEnd: string | null;
  /** China date the plan was paid (order.paidAt), null while it is not. */
  paidOn: string | null;
  /** The plan version's start rule: its waiting days count from payment. */
  rule: CoverageStartRule;
  /** From the plan version's clauses (see claimableCoverageTypes). */
  claimableTypes: readonly CoverageType[];
  /** Today in China, YYYY-MM-DD. */
  today: string;
}

export interface ClaimRequest {
  /** YYYY-MM-DD the fault happened. */
  faultDate: string;
  coverageType: string;
}

/** Only an active order takes new claims; a message for the consumer otherwise, null when it may. */
export function orderClaimability(status: OrderStatus): Message | null {
  switch (status) {
    case 'active':
      return null;
    case 'ended':
      return errorMessage('notClaimable.ended');
    case 'cancelled':
      return errorMessage('notClaimable.cancelled');
    default:
      return errorMessage('notClaimable.unpaid');
  }
}

/**
 * The first day a fault may have happened and still be claimed: the later of
 * the day coverage starts and the day the plan was paid, plus the plan's
 * waiting days. A plan never covers a fault from before it was bought: a
 * from_purchase plan bought weeks after the unit starts on the unit's
 * purchase date, yet a fault in those weeks was never sold any cover.
 * A `waiting_days` N plan's coverage already starts on paidOn + N
 * (coverageWindow); adding them here again keeps the rule true on its own.
 */
export function earliestFaultDate(coverageStart: string, paidOn: string, rule: CoverageStartRule): string {
  const waitingDays = rule.kind === 'waiting_days' ? rule.days : 0;
  return maxDate(coverageStart, addDays(paidOn, waitingDays));
}

/**
 * Field problems of a repair request against its order: the fault date is a
 * real date, not in the future, not before earliestFaultDate and not after
 * coverage ends (both ends inclusive); the coverage type is one the plan's
 * clauses promise.
 */
export function claimProblems(request: ClaimRequest, facts: ClaimFacts): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { faultDate } = request;
  const { coverageStart, coverageEnd, paidOn } = facts;
  const earliest = coverageStart && paidOn ? earliestFaultDate(coverageStart, paidOn, facts.rule) : null;
  if (!isCalendarDate(faultDate)) {
    problems.push(fieldProblem('faultDate', 'dateFormat'));
  } else if (compareDates(faultDate, facts.today) > 0) {
    problems.push(fieldProblem('faultDate', 'inFuture'));
  } else if (!earliest || !coverageEnd) {
    problems.push(fieldProblem('faultDate', 'noCoverage'));
  } else if (compareDates(faultDate, earliest) < 0) {
    problems.push(
      earliest === coverageStart
        ? fieldProblem('faultDate', 'beforeCoverage', { date: coverageStart })
        : fieldProblem('faultDate', 'beforeEarliestFault', { date: earliest, paidOn }),
    );
  } else if (compareDates(faultDate, coverageEnd) > 0) {
    problems.push(fieldProblem('faultDate', 'afterCoverage', { date: coverageEnd }));
  }
  if (!facts.claimableTypes.includes(request.coverageType as CoverageType))
    problems.push(fieldProblem('coverageType', 'typeNotCovered', { types: facts.claimableTypes.join(', ') }));
  return problems;
}

// --- photos --------------------------------------------------------------------

/** What the first bytes say a file is; null for anything but JPEG, PNG and WebP. */
export function photoTypeOf(bytes: Uint8Array): PhotoType | null {
  const at = (i: number) => bytes[i];
  if (bytes.length >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => at(i) === b)) return 'image/png';
  const ascii = (from: number, text: string) => [...text].every((c, i) => at(from + i) === c.charCodeAt(0));
  if (bytes.length >= 12 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return null;
}

export interface UploadedPhoto {
  fileName: string;
  /** The Content-Type the client declared for the part. */
  declaredType: string;
  bytes: Uint8Array;
  /** The upload went past MAX_PHOTO_BYTES and was cut off. */
  truncated: boolean;
}

/**
 * Problems of the photos of a claim: at most MAX_PHOTOS, each at most
 * MAX_PHOTO_BYTES, declared as an allowed image type and really one by its
 * magic bytes. `extra` counts files beyond the limit that were not kept.
 */
export function photoProblems(photos: readonly UploadedPhoto[], extra = 0): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (photos.length + extra > MAX_PHOTOS)
    problems.push(fieldProblem('photos', 'tooManyPhotos', { max: MAX_PHOTOS }));
  photos.slice(0, MAX_PHOTOS).forEach((photo, i) => {
    const field = `photos/${i}`;
    if (photo.truncated || photo.bytes.length > MAX_PHOTO_BYTES)
      problems.push(fieldProblem(field, 'photoTooLarge', { mb: MAX_PHOTO_BYTES / (1024 * 1024) }));
    else if (photo.bytes.length === 0) problems.push(fieldProblem(field, 'fileEmpty'));
    else if (
      !(PHOTO_TYPES as readonly string[]).includes(photo.declaredType.toLowerCase()) ||
      photoTypeOf(photo.bytes) === null
    )
      problems.push(fieldProblem(field, 'imageType'));
  });
  return problems;
}

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (cleaned || 'photo').slice(0, 200);
}

// --- the service desk ----------------------------------------------------------

export type ClaimDecision = 'accept' | 'reject';

/** A rejection needs a reason the consumer can read; an acceptance may carry a note. */
export function decisionProblems(decision: { decision: string; reason: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (decision.decision !== 'accept' && decision.decision !== 'reject')
    problems.push(fieldProblem('decision', 'oneOf', { allowed: 'accept, reject' }));
  if (decision.decision === 'reject' && decision.reason.trim() === '')
    problems.push(fieldProblem('reason', 'rejectReason'));
  if (decision.reason.length > 2000) problems.push(fieldProblem('reason', 'maxLength', { limit: 2000 }));
  return problems;
}

export interface RepairRecord {
  repairCostFen: number;
  parts: string;
  outcome: RepairOutcome;
}

/** The shape of a repair record (the cap needs the order's other claims, see capProblem). */
export function repairShapeProblems(repair: {
  repairCostFen: unknown;
  parts: unknown;
  outcome: unknown;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (
    typeof repair.repairCostFen !== 'number' ||
    !Number.isSafeInteger(repair.repairCostFen) ||
    repair.repairCostFen < 0
  )
    problems.push(fieldProblem('repairCostFen', 'wholeFen'));
  if (typeof repair.parts !== 'string' || repair.parts.length > 2000)
    problems.push(fieldProblem('parts', 'textMax', { limit: 2000 }));
  if (!REPAIR_OUTCOME_LIST.includes(repair.outcome as RepairOutcome))
    problems.push(fieldProblem('outcome', 'oneOf', { allowed: REPAIR_OUTCOME_LIST.join(', ') }));
  return problems;
}

/** How much repair cost the plan can still pay for the order: the retail price minus what was approved. */
export function remainingCapFen(retailPriceFen: number, approvedFen: number): number {
  return Math.max(0, retailPriceFen - approvedFen);
}

/**
 * The claim cap: the approved repair costs of an order never add up to more
 * than the main product's retail price. A repair that would pass it is
 * refused as a whole (null when it fits).
 */
export function capProblem(input: {
  retailPriceFen: number;
  /** Repair costs already approved on the order's other claims. */
  approvedFen: number;
  repairCostFen: number;
  currency: string;
}): FieldProblem | null {
  const { retailPriceFen, approvedFen, repairCostFen, currency } = input;
  if (approvedFen + repairCostFen <= retailPriceFen) return null;
  return fieldProblem('repairCostFen', 'claimCap', {
    left: formatFen(remainingCapFen(retailPriceFen, approvedFen), currency),
    retail: formatFen(retailPriceFen, currency),
  });
}

/** A replacement fulfils the plan: an active order ends with it. */
export function orderStatusAfterRepair(current: OrderStatus, outcome: RepairOutcome): OrderStatus {
  return outcome === 'replaced' && current === 'active' ? 'ended' : current;
}

/** Which service-desk step may follow a claim status (the workflow's validators use the same table). */
export function nextStepOf(status: ClaimStatus): 'decide' | 'repair' | 'close' | null {
  switch (status) {
    case 'submitted':
      return 'decide';
    case 'accepted':
      return 'repair';
    case 'repaired':
      return 'close';
    default:
      return null;
  }
}

/**
 * The moments before which a waiting claim is over its SLA at `now`: a submitted one filed before `submitted`
 * (the decision SLA runs from filing), an accepted one decided before `accepted` (the repair SLA runs from
 * the decision). ClaimWorkflow's reminder timers, as a query the service desk's lists and counts run.
 */
export function slaCutoffs(sla: { decisionSla: string; repairSla: string }, now: Date) {
  return {
    submitted: new Date(now.getTime() - durationToMs(sla.decisionSla)),
    accepted: new Date(now.getTime() - durationToMs(sla.repairSla)),
  };
}
