/**
 * PlanCreationWorkflow — one per plan draft (id `plan-draft-<draftId>`):
 * entry → clause matching → review (selection Update, approver Update, loop on
 * requested changes, reminders, expiry) → publish and QR issuance.
 * Deterministic: all I/O is in activities.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  uuid4,
} from '@temporalio/workflow';
import type { PlanCreationActivities } from '../activities/plan-creation.activities.ts';
import { durationToMs } from '../src/domain/duration.ts';
import { fieldProblem } from '../src/domain/errors.ts';
import { type MatchingResult, type ReviewRecord, selectionShapeProblems } from '../src/domain/plan-draft.ts';
import {
  PLAN_CREATION_ERRORS,
  type PlanCreationInput,
  type PlanCreationStage,
  type PlanCreationStatus,
  type PublishedPlan,
  reviewUpdate,
  statusQuery,
  submitSelectionUpdate,
  suggestionsQuery,
} from './plan-creation.messages.ts';
import { BUSINESS_STATUS, PLAN_ID } from './search-attributes.ts';
import { unwrapActivity } from './unwrap-activity.ts';

const activities = proxyActivities<PlanCreationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function PlanCreationWorkflow(input: PlanCreationInput): Promise<PublishedPlan | null> {
  const reminderMs = durationToMs(input.reminderInterval);
  const expiryMs = durationToMs(input.expiresAfter);
  let stage = 'entry' as PlanCreationStage;
  let suggestions: MatchingResult | null = null;
  let submittedBy: string | null = null;
  let lastReview = null as ReviewRecord | null;
  let remindersSent = 0;
  let published = null as PublishedPlan | null;
  // Any accepted selection or review counts as touching the draft and restarts the expiry clock.
  let lastTouchedAt = Date.now();
  let touches = 0;

  const status = (): PlanCreationStatus => ({ stage, submittedBy, lastReview, remindersSent, published });
  const moveTo = (next: PlanCreationStage) => {
    stage = next;
    upsertSearchAttributes([{ key: BUSINESS_STATUS, value: next }]);
  };
  const touch = () => {
    lastTouchedAt = Date.now();
    touches++;
  };
  const wrongStage = (expected: PlanCreationStage) =>
    ApplicationFailure.create({
      type: PLAN_CREATION_ERRORS.wrongStage,
      message: `the draft is ${stage}, not ${expected}`,
      nonRetryable: true,
    });

  setHandler(suggestionsQuery, () => suggestions);
  setHandler(statusQuery, status);

  setHandler(
    submitSelectionUpdate,
    async ({ submittedBy: editorId, ...selection }) => {
      await unwrapActivity(activities.recordSelection(input.draftId, selection, editorId));
      submittedBy = editorId;
      moveTo('awaiting_review');
      touch();
      return status();
    },
    {
      // Rejected here, an Update never reaches history and nothing is written.
      validator: ({ submittedBy: editorId, ...selection }) => {
        if (stage !== 'awaiting_selection') throw wrongStage('awaiting_selection');
        if (!editorId)
          throw ApplicationFailure.create({
            type: PLAN_CREATION_ERRORS.invalidSelection,
            message: 'submittedBy is required',
          });
        const problems = selectionShapeProblems(selection);
        if (problems.length > 0)
          throw ApplicationFailure.create({
            type: PLAN_CREATION_ERRORS.invalidSelection,
            message: problems.map((p) => `${p.field} ${p.code}`).join('; '),
            details: [problems],
          });
      },
    },
  );

  setHandler(
    reviewUpdate,
    async ({ reviewerId, decision, comment }) => {
      const review: ReviewRecord = {
        id: uuid4(),
        reviewerId,
        decision,
        comment,
        at: new Date().toISOString(),
      };
      await unwrapActivity(activities.recordReview(input.draftId, review));
      lastReview = review;
      moveTo(decision === 'approve' ? 'publishing' : 'awaiting_selection');
      touch();
      return status();
    },
    {
      validator: ({ reviewerId, decision, comment }) => {
        if (stage !== 'awaiting_review') throw wrongStage('awaiting_review');
        if (reviewerId === submittedBy)
          throw ApplicationFailure.create({
            type: PLAN_CREATION_ERRORS.fourEyes,
            message: 'four-eyes rule: the approver must not be the person who submitted the selection',
          });
        if (decision === 'request_changes' && comment.trim() === '')
          throw ApplicationFailure.create({
            type: PLAN_CREATION_ERRORS.invalidSelection,
            message: 'comment: say what should change',
            details: [[fieldProblem('comment', 'sayWhatChanges')]],
          });
      },
    },
  );

  // 1. entry and 2. clause matching
  await activities.enterDraft(input.draftId);
  moveTo('matching');
  suggestions = await activities.matchClauses(input.draftId);
  moveTo('awaiting_selection');

  // 3. review: wait for the editor and the approver; remind while waiting; expire when left alone.
  while (stage !== 'publishing') {
    const idleMs = Date.now() - lastTouchedAt;
    if (idleMs >= expiryMs) {
      await activities.expireDraft(input.draftId);
      moveTo('expired');
      await condition(allHandlersFinished);
      return null;
    }
    const seen = touches;
    const untilExpiry = expiryMs - idleMs;
    const wait = stage === 'awaiting_review' ? Math.min(reminderMs, untilExpiry) : untilExpiry;
    const touched = await condition(() => touches !== seen, wait);
    if (!touched && stage === 'awaiting_review' && Date.now() - lastTouchedAt < expiryMs) {
      remindersSent++;
      await activities.sendReviewReminder(input.draftId, remindersSent);
    }
  }

  // 4. publish and QR issuance
  published = await activities.publishPlan(input.draftId, lastReview?.reviewerId ?? '');
  upsertSearchAttributes([{ key: PLAN_ID, value: published.planId }]);
  await activities.issuePlanDocuments(published.planVersionId);
  moveTo('published');
  log.info('plan published', { planId: published.planId, code: published.code });
  await condition(allHandlersFinished);
  return published;
}
