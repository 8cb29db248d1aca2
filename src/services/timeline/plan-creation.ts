/** PlanCreationWorkflow in auditors' words: who drafted, what was selected, the review and its comment. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PlanCreationActivities } from '../../../activities/plan-creation.activities.ts';
import {
  PLAN_CREATION_STAGES,
  type reviewUpdate,
  type submitSelectionUpdate,
} from '../../../workflows/plan-creation.messages.ts';
import { PlanDraft, User } from '../../domain/entities/index.ts';
import { isUuid } from '../../domain/uuid.ts';
import type { ActivityDescriber, MessageDescriber, WorkflowDescriber } from './engine.ts';
import { count, message, record, text } from './words.ts';

const activities = {
  enterDraft: {
    doing: () => message('planCreation.enterDraft.doing'),
    done: (_args, result) =>
      message('planCreation.enterDraft.done', { category: text(record(result).category) }),
  },
  matchClauses: {
    doing: () => message('planCreation.matchClauses.doing'),
    done: (_args, result) =>
      message('planCreation.matchClauses.done', {
        cases: count(record(result).cases),
        clauses: count(record(result).clauses),
      }),
  },
  recordSelection: {
    doing: () => message('planCreation.recordSelection.doing'),
    done: () => message('planCreation.recordSelection.done'),
  },
  recordReview: {
    doing: () => message('planCreation.recordReview.doing'),
    done: (args) =>
      message(
        record(args[1]).decision === 'approve'
          ? 'planCreation.recordReview.approved'
          : 'planCreation.recordReview.changesRequested',
      ),
  },
  sendReviewReminder: {
    doing: (args) => message('planCreation.sendReviewReminder.doing', { n: text(args[1]) }),
    done: (args, result) =>
      message('planCreation.sendReviewReminder.done', { n: text(args[1]), approvers: text(result) }),
  },
  expireDraft: {
    doing: () => message('planCreation.expireDraft.doing'),
    done: () => message('planCreation.expireDraft.done'),
  },
  publishPlan: {
    doing: () => message('planCreation.publishPlan.doing'),
    done: (_args, result) =>
      message('planCreation.publishPlan.done', {
        code: text(record(result).code),
        version: text(record(result).version),
      }),
  },
  issuePlanDocuments: {
    doing: () => message('planCreation.issuePlanDocuments.doing'),
    done: () => message('planCreation.issuePlanDocuments.done'),
  },
} satisfies Record<keyof PlanCreationActivities, ActivityDescriber>;

const updates = {
  submitSelection: (args) => {
    const selection = record(args[0]);
    return message('planCreation.submitSelection', {
      clauses: count(selection.clauseIds),
      custom: count(selection.customClauses),
    });
  },
  review: (args) => {
    const review = record(args[0]);
    const comment = text(review.comment).trim();
    return {
      message:
        review.decision === 'approve'
          ? comment
            ? message('planCreation.review.approveWithComment', { comment })
            : message('planCreation.review.approve')
          : message('planCreation.review.requestChanges', { comment }),
      details: { decision: text(review.decision) },
    };
  },
} satisfies Record<(typeof submitSelectionUpdate | typeof reviewUpdate)['name'], MessageDescriber>;

export const planCreationTimeline: WorkflowDescriber = {
  started: (input, facts) =>
    facts?.draftCreator
      ? message('planCreation.startedBy', { draftId: text(input.draftId), creator: facts.draftCreator })
      : message('planCreation.started', { draftId: text(input.draftId) }),
  activities,
  updates,
  signals: {},
  stages: [...PLAN_CREATION_STAGES, 'expired'],
  /** Who created the draft (the workflow starts from it, so the history does not say). */
  async facts(em: EntityManager, input) {
    const draftId = text(input.draftId);
    if (!isUuid(draftId)) return null;
    const draft = await em.findOne(PlanDraft, { id: draftId });
    const creator = draft ? await em.findOne(User, { id: draft.createdBy }) : null;
    return creator ? { draftCreator: creator.displayName } : null;
  },
};
