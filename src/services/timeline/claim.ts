/** ClaimWorkflow in auditors' words: the service desk's decision, the repair and its cost, the reminders. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClaimActivities } from '../../../activities/claim.activities.ts';
import type { closeUpdate, decideUpdate, recordRepairUpdate } from '../../../workflows/claim.messages.ts';
import { REPAIR_OUTCOME_LIST } from '../../domain/claim-rules.ts';
import { CLAIM_STATUSES } from '../../domain/entities/claim.entity.ts';
import { Claim, Order } from '../../domain/entities/index.ts';
import type { ActivityDescriber, MessageDescriber, TimelineFacts, WorkflowDescriber } from './engine.ts';
import { durationText, label, message, money, record, text } from './words.ts';

const outcome = (value: unknown) => label('repairOutcome', REPAIR_OUTCOME_LIST, value);
/** Repair costs are in the currency of the order the claim is on (the history does not carry it). */
const cost = (repair: Record<string, unknown>, facts: TimelineFacts | null) =>
  money(repair.repairCostFen, facts?.currency);

const activities = {
  recordClaimDecision: {
    doing: () => message('claim.recordClaimDecision.doing'),
    done: (args) => {
      const decision = record(args[1]);
      return decision.decision === 'accept'
        ? message('claim.recordClaimDecision.accepted')
        : message('claim.recordClaimDecision.rejected', { reason: text(decision.reason) });
    },
  },
  recordClaimRepair: {
    doing: () => message('claim.recordClaimRepair.doing'),
    done: (args, result, facts) => {
      const refused = record(record(result).refused);
      if (record(result).refused)
        return message('claim.recordClaimRepair.refused', {
          field: text(refused.field),
          reason: text(refused.message),
        });
      const repair = record(args[1]);
      return message('claim.recordClaimRepair.done', {
        outcome: outcome(repair.outcome),
        cost: cost(repair, facts),
        parts: text(repair.parts) || '—',
      });
    },
  },
  closeClaim: {
    doing: () => message('claim.closeClaim.doing'),
    done: () => message('claim.closeClaim.done'),
  },
  announceClaimStep: {
    doing: () => message('claim.announceClaimStep.doing'),
    done: (args) =>
      message('claim.announceClaimStep.done', { step: label('stage', CLAIM_STATUSES, args[1]) }),
  },
  remindClaimDesk: {
    doing: () => message('claim.remindClaimDesk.doing'),
    done: (args) =>
      message(args[1] === 'repair' ? 'claim.remindClaimDesk.repair' : 'claim.remindClaimDesk.decision', {
        n: text(args[2]),
      }),
  },
} satisfies Record<keyof ClaimActivities, ActivityDescriber>;

const updates = {
  decide: (args) => {
    const decision = record(args[0]);
    return decision.decision === 'accept'
      ? message('claim.decide.accept')
      : message('claim.decide.reject', { reason: text(decision.reason) });
  },
  recordRepair: (args, facts) => {
    const repair = record(args[0]);
    return message('claim.recordRepair', { outcome: outcome(repair.outcome), cost: cost(repair, facts) });
  },
  close: () => message('claim.close'),
} satisfies Record<
  (typeof decideUpdate | typeof recordRepairUpdate | typeof closeUpdate)['name'],
  MessageDescriber
>;

export const claimTimeline: WorkflowDescriber = {
  started: (input) =>
    message('claim.started', {
      claimNumber: text(input.claimNumber),
      due: durationText(input.decisionSla),
    }),
  activities,
  updates,
  signals: {},
  stages: CLAIM_STATUSES,
  async facts(em: EntityManager, input) {
    const claim = await em.findOne(Claim, { claimNumber: text(input.claimNumber) });
    const order = claim ? await em.findOne(Order, { id: claim.order }) : null;
    return order ? { currency: order.currency } : null;
  },
};
