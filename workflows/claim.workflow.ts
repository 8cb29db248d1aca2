/**
 * ClaimWorkflow — one per repair request (id `claim-<claimNumber>`):
 * submitted → the manufacturer's service desk accepts or rejects with a reason
 * → an accepted claim gets its repair recorded (cost, parts, outcome; the
 * claim cap is applied by the activity with the order locked) → closed.
 * Desk actions are Updates whose validators refuse a wrong step before
 * anything reaches history. The consumer gets an SMS at every step; durable
 * SLA timers remind the desk while a claim waits for a decision or a repair.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { ClaimActivities } from '../activities/claim.activities.ts';
import { decisionProblems, nextStepOf, repairShapeProblems } from '../src/domain/claim-rules.ts';
import { durationToMs } from '../src/domain/duration.ts';
import type { ClaimStatus } from '../src/domain/entities/claim.entity.ts';
import { type FieldProblem, fieldProblem } from '../src/domain/errors.ts';
import {
  CLAIM_ERRORS,
  type ClaimInput,
  type ClaimProgress,
  type ClaimStep,
  claimProgressQuery,
  closeUpdate,
  decideUpdate,
  recordRepairUpdate,
} from './claim.messages.ts';
import { BUSINESS_STATUS } from './search-attributes.ts';
import { unwrapActivity } from './unwrap-activity.ts';

const activities = proxyActivities<ClaimActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function ClaimWorkflow(input: ClaimInput): Promise<ClaimProgress> {
  const { claimNumber } = input;
  const slaMs: Partial<Record<ClaimStatus, number>> = {
    submitted: durationToMs(input.decisionSla),
    accepted: durationToMs(input.repairSla),
  };
  let status: ClaimStatus = 'submitted';
  let busy = false;
  let remindersSent = 0;
  let changes = 0;
  const announcements: ClaimStep[] = ['submitted'];

  const progress = (): ClaimProgress => ({ status, remindersSent, busy });
  const moveTo = (next: ClaimStep) => {
    status = next;
    changes++;
    announcements.push(next);
    upsertSearchAttributes([{ key: BUSINESS_STATUS, value: next }]);
  };
  /** Validators throw before the Update is accepted: nothing reaches history, nothing is written. */
  const expectStep = (step: 'decide' | 'repair' | 'close') => {
    if (busy || nextStepOf(status) !== step)
      throw ApplicationFailure.create({
        type: CLAIM_ERRORS.wrongStage,
        message: busy
          ? 'another service-desk action on this claim is being recorded'
          : `the claim is ${status}: it cannot be ${step === 'decide' ? 'decided' : step === 'repair' ? 'repaired' : 'closed'} now`,
        nonRetryable: true,
      });
  };
  const refuse = (problems: FieldProblem[]) => {
    if (problems.length > 0)
      throw ApplicationFailure.create({
        type: CLAIM_ERRORS.invalidInput,
        // Codes, not words: the catalogue is not in the sandbox; the API puts the details in words.
        message: problems.map((p) => `${p.field} ${p.code}`).join('; '),
        details: [problems],
        nonRetryable: true,
      });
  };
  /** One desk action at a time: the activity records it, then the workflow moves on. */
  const record = async (work: () => Promise<unknown>, next: ClaimStep) => {
    busy = true;
    try {
      await unwrapActivity(work());
      moveTo(next);
      return progress();
    } finally {
      busy = false;
    }
  };

  setHandler(claimProgressQuery, progress);

  setHandler(
    decideUpdate,
    (decision) =>
      record(
        () => activities.recordClaimDecision(claimNumber, decision),
        decision.decision === 'accept' ? 'accepted' : 'rejected',
      ),
    {
      validator: (decision) => {
        expectStep('decide');
        refuse([
          ...decisionProblems({ decision: decision.decision, reason: decision.reason ?? '' }),
          ...(decision.decidedBy ? [] : [fieldProblem('decidedBy', 'required')]),
        ]);
      },
    },
  );

  setHandler(
    recordRepairUpdate,
    (repair) =>
      record(async () => {
        // The claim cap needs the order's other claims: the activity decides it with the order locked.
        const { refused } = await activities.recordClaimRepair(claimNumber, repair);
        if (refused)
          throw ApplicationFailure.create({
            type: CLAIM_ERRORS.capExceeded,
            message: `${refused.field} ${refused.code}`,
            details: [[refused]],
            nonRetryable: true,
          });
      }, 'repaired'),
    {
      validator: (repair) => {
        expectStep('repair');
        refuse([
          ...repairShapeProblems(repair),
          ...(repair.recordedBy ? [] : [fieldProblem('recordedBy', 'required')]),
        ]);
      },
    },
  );

  setHandler(
    closeUpdate,
    ({ closedBy }) => record(() => activities.closeClaim(claimNumber, closedBy), 'closed'),
    {
      validator: ({ closedBy }) => {
        expectStep('close');
        refuse(closedBy ? [] : [fieldProblem('closedBy', 'required')]);
      },
    },
  );

  for (;;) {
    // Tell the consumer about every step, in order, outside the Update handlers so desk actions answer fast.
    for (let step = announcements.shift(); step; step = announcements.shift())
      await activities.announceClaimStep(claimNumber, step);
    if (nextStepOf(status) === null) break;

    const seen = changes;
    const moved = () => changes !== seen || announcements.length > 0;
    const sla = slaMs[status];
    if (sla === undefined) {
      await condition(moved);
      continue;
    }
    // A durable timer: the desk is reminded every SLA period the claim waits at this step.
    if (!(await condition(moved, sla))) {
      // A desk action being recorded right now either moves the claim or fails; only then decide.
      await condition(() => !busy);
      if (changes === seen) {
        remindersSent++;
        await activities.remindClaimDesk(
          claimNumber,
          status === 'submitted' ? 'decision' : 'repair',
          remindersSent,
        );
      }
    }
  }

  log.info('claim finished', { claimNumber, status });
  await condition(allHandlersFinished);
  return progress();
}
