/**
 * One label table per concept of the domain, in the catalogue's `labels` namespace (`labels:<concept>.<value>`),
 * keyed by the domain's own enums. Pages, SMS, certificates and the portal all name things through these, so a
 * coverage type or a status reads the same everywhere; test/i18n/catalogue.test.ts fails on a value without words.
 */
import { CANCELLATION_STAGES } from '../../workflows/cancellation.messages.ts';
import { PLAN_CREATION_STAGES } from '../../workflows/plan-creation.messages.ts';
import { PURCHASE_STAGES } from '../../workflows/purchase.messages.ts';
import { UNIT_BATCH_STAGES } from '../../workflows/unit-qr-batch.messages.ts';
import { COVERAGE_START_KINDS, COVERAGE_TYPES, PRODUCT_CATEGORIES } from '../domain/catalog.ts';
import { COVER_STATUSES } from '../domain/cover-status.ts';
import { CANCELLATION_STATUSES } from '../domain/entities/cancellation.entity.ts';
import { CLAIM_STATUSES } from '../domain/entities/claim.entity.ts';
import { CLAUSE_STATUSES } from '../domain/entities/clause.entity.ts';
import { MANUFACTURER_STATUSES } from '../domain/entities/manufacturer.entity.ts';
import { NOTIFICATION_STATUSES } from '../domain/entities/notification.entity.ts';
import { ORDER_STATUSES, PAYMENT_PROVIDERS } from '../domain/entities/order.entity.ts';
import { PLAN_STATUSES } from '../domain/entities/plan.entity.ts';
import { PLAN_DRAFT_STATUSES } from '../domain/entities/plan-draft.entity.ts';
import { REFUND_REASONS } from '../domain/entities/refund.entity.ts';
import { UNIT_BATCH_STATUSES } from '../domain/entities/unit-code.entity.ts';
import { MANUFACTURER_ROLES, PLATFORM_ROLES } from '../domain/entities/user.entity.ts';
import { LEDGER_KINDS, RECONCILIATION_RESULTS } from '../services/reconciliation.ts';
import { type Locale, translate } from './catalogue.ts';

/** Every business stage a workflow records (its BusinessStatus search attribute), each once. */
export const WORKFLOW_STAGES = [
  ...new Set([
    ...PLAN_CREATION_STAGES,
    'expired',
    ...PURCHASE_STAGES,
    ...CLAIM_STATUSES,
    ...CANCELLATION_STAGES,
    ...UNIT_BATCH_STAGES,
  ]),
];

/**
 * Each concept with every value it can take. Also in the table: `workflowType` and `workflowStatus`, whose
 * values the audit routes list (WORKFLOW_TYPES, EXECUTION_STATUS_NAMES).
 */
export const LABELLED = {
  coverage: COVERAGE_TYPES,
  category: PRODUCT_CATEGORIES,
  startRule: COVERAGE_START_KINDS,
  role: [...MANUFACTURER_ROLES, ...PLATFORM_ROLES],
  draftStatus: PLAN_DRAFT_STATUSES,
  planStatus: PLAN_STATUSES,
  manufacturerStatus: MANUFACTURER_STATUSES,
  clauseStatus: CLAUSE_STATUSES,
  claimStatus: CLAIM_STATUSES,
  orderStatus: ORDER_STATUSES,
  coverStatus: COVER_STATUSES,
  cancellationStatus: CANCELLATION_STATUSES,
  provider: PAYMENT_PROVIDERS,
  stage: WORKFLOW_STAGES,
  unitBatchStatus: UNIT_BATCH_STATUSES,
  notificationStatus: NOTIFICATION_STATUSES,
  refundReason: REFUND_REASONS,
  reconciliationResult: RECONCILIATION_RESULTS,
  ledgerKind: LEDGER_KINDS,
} as const;
export type Concept = keyof typeof LABELLED;

/** The word for one value of a concept, e.g. `label('zh-CN', 'coverage', 'screen')` → 屏幕. */
export function label<C extends Concept>(
  locale: Locale,
  concept: C,
  value: (typeof LABELLED)[C][number],
): string {
  return translate(locale, `labels:${concept}.${value}`);
}
