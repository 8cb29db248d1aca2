/**
 * Activities of PlanCreationWorkflow: every read and write of the database,
 * the matching, and document rendering. Each is idempotent (safe to retry);
 * business rejections are non-retryable ApplicationFailures.
 */
import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { renderPlanLabelPdf } from '../src/documents/plan-label.ts';
import { renderQrPng, renderQrSvg } from '../src/documents/plan-qr.ts';
import {
  Clause,
  MainProduct,
  Manufacturer,
  Plan,
  PlanCase,
  PlanDocument,
  PlanDraft,
  PlanVersion,
  User,
} from '../src/domain/entities/index.ts';
import type { PlanDocumentKind } from '../src/domain/entities/plan-document.entity.ts';
import { type FieldProblem, fieldProblem } from '../src/domain/errors.ts';
import {
  type ClauseSelection,
  type ClauseSnapshot,
  type MatchingResult,
  type ReviewRecord,
  selectionCoverageProblems,
} from '../src/domain/plan-draft.ts';
import { draftRequirementProblems } from '../src/domain/plan-requirement.ts';
import { mintPublicCode, publicPlanUrl } from '../src/domain/public-code.ts';
import { type Locale, translate } from '../src/i18n/catalogue.ts';
import { problemsInEnglish } from '../src/i18n/errors.ts';
import {
  deliverPending,
  enqueue,
  enqueueAndDeliver,
  type Notifier,
  type QueuedMessage,
} from '../src/notifications/notifier.ts';
import { matchDraft } from '../src/services/clause-matching.ts';
import { announceLandingChange } from '../src/services/landing-peers.ts';
import { PLAN_CREATION_ERRORS, type PublishedPlan } from '../workflows/plan-creation.messages.ts';

export interface PlanCreationDeps {
  orm: MikroORM;
  publicBaseUrl: string;
  notifications: Notifier;
}

const reject = (type: string, message: string, fields: FieldProblem[] = []) =>
  ApplicationFailure.create({ type, message, details: [fields], nonRetryable: true });

async function loadDraft(em: EntityManager, draftId: string) {
  const draft = await em.findOne(PlanDraft, { id: draftId });
  if (!draft) throw reject(PLAN_CREATION_ERRORS.invalidDraft, `plan draft ${draftId} does not exist`);
  return draft;
}

async function requireMember(em: EntityManager, userId: string, manufacturerId: string, role: string) {
  const user = await em.findOne(User, { id: userId, manufacturer: manufacturerId });
  if (!user?.roles.includes(role as never) && !user?.roles.includes('admin'))
    throw reject(
      PLAN_CREATION_ERRORS.invalidSelection,
      `user ${userId} is not a ${role} of this manufacturer`,
    );
  return user;
}

/** The manufacturer's active approvers (and admins), never the draft's submitter: who reviews it. */
const activeReviewers = (em: EntityManager, draft: PlanDraft) =>
  em.find(User, {
    manufacturer: draft.manufacturer,
    roles: { $overlap: ['approver', 'admin'] },
    // Deactivated users are no longer staff: they get no mail.
    deactivatedAt: null,
    id: { $ne: draft.submittedBy ?? '00000000-0000-0000-0000-000000000000' },
  });

/** The user who submitted the draft's selection, while active: the editor told of its review. */
const activeSubmitter = async (em: EntityManager, draft: PlanDraft) =>
  draft.submittedBy
    ? [await em.findOne(User, { id: draft.submittedBy, deactivatedAt: null })].filter((u) => u !== null)
    : [];

/**
 * One email about a draft's review to each user, in the manufacturer's language (words in the catalogue's
 * `notifications:draft.<kind>`); `key` plus the user is its dedupe key, so a retried activity sends it once.
 */
async function draftEmails(
  em: EntityManager,
  draft: PlanDraft,
  users: User[],
  kind: 'submitted' | 'changesRequested' | 'published' | 'reminder',
  key: string,
  params: Record<string, unknown>,
  publicBaseUrl: string,
): Promise<QueuedMessage[]> {
  const { locale } = await em.findOneOrFail(Manufacturer, { id: draft.manufacturer }, { fields: ['locale'] });
  const words = {
    ...params,
    plan: planName(locale, draft),
    link: `${publicBaseUrl}/portal/draft.html?id=${draft.id}`,
  };
  return users.map((user) => ({
    dedupeKey: `${key}:${user.id}`,
    channel: 'email' as const,
    recipient: user.email,
    subject: translate(locale, { code: `notifications:draft.${kind}.subject`, params: words }),
    body: translate(locale, {
      code: `notifications:draft.${kind}.body`,
      params: { ...words, name: user.displayName },
    }),
  }));
}

const planName = (locale: Locale, draft: { nameZh: string; nameEn: string }) =>
  locale === 'en' ? draft.nameEn : draft.nameZh;

/** A user's name for a message to colleagues; an id that names nobody (any more) stays as it is. */
const nameOf = async (em: EntityManager, userId: string) =>
  (await em.findOne(User, { id: userId }, { fields: ['displayName'] }))?.displayName ?? userId;

export function createPlanCreationActivities({ orm, publicBaseUrl, notifications }: PlanCreationDeps) {
  return {
    /** Step 1, entry: re-checks the stored draft against its product before anything else happens. */
    async enterDraft(draftId: string): Promise<{ category: string }> {
      const em = orm.em.fork();
      const draft = await loadDraft(em, draftId);
      const product = await em.findOne(MainProduct, { id: draft.product, manufacturer: draft.manufacturer });
      if (!product)
        throw reject(
          PLAN_CREATION_ERRORS.invalidDraft,
          'the main product does not belong to this manufacturer',
        );
      const problems = draftRequirementProblems(draft, product);
      if (problems.length > 0)
        throw reject(PLAN_CREATION_ERRORS.invalidDraft, problemsInEnglish(problems), problems);
      return { category: product.category };
    },

    /** Step 2, clause matching: ranks similar cases and suggests clauses; stored for the pages. */
    async matchClauses(draftId: string): Promise<MatchingResult> {
      const em = orm.em.fork();
      const draft = await loadDraft(em, draftId);
      const product = await em.findOneOrFail(MainProduct, { id: draft.product });
      const profile = {
        category: product.category,
        retailPriceFen: product.retailPriceFen,
        termMonths: draft.termMonths,
        priceFen: draft.priceFen,
        coverageTypes: draft.coverageTypes,
        coverageStartRule: draft.coverageStartRule,
        text: `${draft.nameZh} ${draft.nameEn} ${product.name} ${product.brand}`,
      };
      const result = await matchDraft(em, profile);
      draft.suggestions = result;
      if (draft.status === 'entered') draft.status = 'awaiting_selection';
      await em.flush();
      return result;
    },

    /** Step 3a: validates a clause selection against the library and stores it for review. */
    async recordSelection(draftId: string, selection: ClauseSelection, submittedBy: string): Promise<void> {
      const em = orm.em.fork();
      const draft = await loadDraft(em, draftId);
      await requireMember(em, submittedBy, draft.manufacturer, 'editor');
      const product = await em.findOneOrFail(MainProduct, { id: draft.product });
      const clauses = await em.find(Clause, { id: { $in: selection.clauseIds } });
      const byId = new Map(clauses.map((c) => [c.id, c]));
      const problems: FieldProblem[] = [];
      selection.clauseIds.forEach((id, i) => {
        const clause = byId.get(id);
        if (!clause) problems.push(fieldProblem(`clauseIds/${i}`, 'clauseMissing', { id }));
        else if (clause.status !== 'active')
          problems.push(fieldProblem(`clauseIds/${i}`, 'clauseRetired', { key: clause.key }));
        else if (!clause.categories.includes(product.category))
          problems.push(
            fieldProblem(`clauseIds/${i}`, 'clauseCategory', { key: clause.key, category: product.category }),
          );
      });
      problems.push(
        ...selectionCoverageProblems(draft.coverageTypes, [
          ...clauses.map((c) => c.coverageType),
          ...selection.customClauses.map((c) => c.coverageType),
        ]),
      );
      if (problems.length > 0)
        throw reject(
          PLAN_CREATION_ERRORS.invalidSelection,
          `the clause selection was not accepted: ${problemsInEnglish(problems)}`,
          problems,
        );
      draft.selection = selection;
      draft.submittedBy = submittedBy;
      draft.submittedAt = new Date();
      draft.status = 'awaiting_review';
      await em.flush();
      // One review request per round: a round ends with a review, so the count of reviews names it.
      await enqueueAndDeliver(
        em,
        notifications,
        await draftEmails(
          em,
          draft,
          await activeReviewers(em, draft),
          'submitted',
          `plan-review-request:${draftId}:${draft.reviews.length}`,
          { submitter: await nameOf(em, submittedBy) },
          publicBaseUrl,
        ),
      );
    },

    /** Step 3b: records an approver's decision once, whatever the retries. */
    async recordReview(draftId: string, review: ReviewRecord): Promise<void> {
      const em = orm.em.fork();
      const draft = await loadDraft(em, draftId);
      await requireMember(em, review.reviewerId, draft.manufacturer, 'approver');
      if (!draft.reviews.some((r) => r.id === review.id)) {
        draft.reviews = [...draft.reviews, review];
        if (review.decision === 'request_changes') draft.status = 'awaiting_selection';
        await em.flush();
      }
      // Outside the check above: a retry after the review was recorded still writes the email once.
      if (review.decision === 'request_changes') {
        const { locale } = await em.findOneOrFail(
          Manufacturer,
          { id: draft.manufacturer },
          { fields: ['locale'] },
        );
        await enqueueAndDeliver(
          em,
          notifications,
          await draftEmails(
            em,
            draft,
            await activeSubmitter(em, draft),
            'changesRequested',
            `plan-changes-requested:${review.id}`,
            {
              reviewer: await nameOf(em, review.reviewerId),
              comment: review.comment.trim() || translate(locale, 'notifications:draft.noComment'),
            },
            publicBaseUrl,
          ),
        );
      }
    },

    /** Reminds the manufacturer's active approvers (not the submitter) that a draft waits for them. */
    async sendReviewReminder(draftId: string, reminderNumber: number): Promise<number> {
      const em = orm.em.fork();
      const draft = await loadDraft(em, draftId);
      return enqueueAndDeliver(
        em,
        notifications,
        await draftEmails(
          em,
          draft,
          await activeReviewers(em, draft),
          'reminder',
          `plan-review-reminder:${draftId}:${reminderNumber}`,
          { reminder: reminderNumber },
          publicBaseUrl,
        ),
      );
    },

    async expireDraft(draftId: string): Promise<void> {
      const em = orm.em.fork();
      const draft = await loadDraft(em, draftId);
      if (draft.status !== 'published') draft.status = 'expired';
      await em.flush();
    },

    /**
     * Step 4a: freezes the clause snapshot as a plan version in one transaction: version 1 of a
     * new plan with a fresh public code, or, for a draft that revises a plan, its next version
     * under the same code (the printed QR codes keep working). A retry finds the version and returns it.
     */
    async publishPlan(draftId: string, approvedBy: string): Promise<PublishedPlan> {
      const em = orm.em.fork();
      const emails: QueuedMessage[] = [];
      const result = await em.transactional(async (tx) => {
        const existing = await tx.findOne(PlanVersion, { draft: draftId });
        if (existing) return published(await tx.findOneOrFail(Plan, { id: existing.plan }), existing);
        const draft = await loadDraft(tx, draftId);
        if (!draft.selection || !draft.submittedBy)
          throw reject(PLAN_CREATION_ERRORS.invalidDraft, 'the draft has no submitted clause selection');
        const product = await tx.findOneOrFail(MainProduct, { id: draft.product });
        const manufacturer = await tx.findOneOrFail(Manufacturer, { id: draft.manufacturer });
        const library = await tx.find(Clause, { id: { $in: draft.selection.clauseIds } });
        const byId = new Map(library.map((c) => [c.id, c]));
        const snapshot: ClauseSnapshot[] = [
          ...draft.selection.clauseIds.map((id) => {
            const c = byId.get(id);
            if (!c) throw reject(PLAN_CREATION_ERRORS.invalidDraft, `clause ${id} vanished from the library`);
            const { key, version, coverageType, titleZh, titleEn, bodyZh, bodyEn } = c;
            return { clauseId: c.id, key, version, coverageType, titleZh, titleEn, bodyZh, bodyEn };
          }),
          ...draft.selection.customClauses.map((c) => ({ clauseId: null, key: null, version: 1, ...c })),
        ];
        // The plan row is locked so the version number and the current version move together.
        const plan = draft.revisesPlan
          ? await tx.findOneOrFail(Plan, { id: draft.revisesPlan }, { lockMode: LockMode.PESSIMISTIC_WRITE })
          : tx.create(Plan, {
              id: randomUUID(),
              manufacturer: draft.manufacturer,
              product: draft.product,
              draft: draft.id,
              code: mintPublicCode(),
              nameZh: draft.nameZh,
              nameEn: draft.nameEn,
              currentVersion: 1,
            });
        if (draft.revisesPlan) plan.currentVersion += 1;
        const version = tx.create(PlanVersion, {
          id: randomUUID(),
          plan: plan.id,
          version: plan.currentVersion,
          draft: draft.id,
          termMonths: draft.termMonths,
          coverageStartRule: draft.coverageStartRule,
          priceFen: draft.priceFen,
          currency: draft.currency,
          purchaseWindowDays: draft.purchaseWindowDays,
          coolingOffDays: draft.coolingOffDays,
          coverageTypes: draft.coverageTypes,
          clauses: snapshot,
          submittedBy: draft.submittedBy,
          approvedBy,
          publishedAt: new Date(),
        });
        // Every published version becomes a case that future drafts are matched against.
        tx.create(PlanCase, {
          key: `plan:${plan.id}:v${version.version}`,
          source: 'published',
          category: product.category,
          manufacturerName: manufacturer.name,
          brand: product.brand,
          productName: product.name,
          model: product.model,
          retailPriceFen: product.retailPriceFen,
          planNameZh: draft.nameZh,
          planNameEn: draft.nameEn,
          termMonths: draft.termMonths,
          priceFen: draft.priceFen,
          coverageStartRule: draft.coverageStartRule,
          coverageTypes: draft.coverageTypes,
          clauseIds: draft.selection.clauseIds,
        });
        draft.status = 'published';
        // Written with the plan, so a published plan always has its email; delivered once committed.
        emails.push(
          ...(await draftEmails(
            tx,
            draft,
            await activeSubmitter(tx, draft),
            'published',
            `plan-published:${plan.id}:v${version.version}`,
            {
              reviewer: await nameOf(tx, approvedBy),
              version: version.version,
              publicUrl: publicPlanUrl(publicBaseUrl, plan.code),
            },
            publicBaseUrl,
          )),
        );
        await enqueue(tx, emails);
        // The product's landing pages now list this plan (or its new version): every web process hears it.
        await announceLandingChange(tx);
        return published(plan, version);
      });
      await deliverPending(
        em,
        notifications,
        emails.map((m) => m.dedupeKey),
      );
      return result;
      function published(plan: Plan, version: PlanVersion): PublishedPlan {
        return {
          planId: plan.id,
          planVersionId: version.id,
          code: plan.code,
          version: version.version,
          publicUrl: publicPlanUrl(publicBaseUrl, plan.code),
        };
      }
    },

    /** Step 4b: QR code (PNG, SVG) and printable PDF label, stored once per version. */
    async issuePlanDocuments(planVersionId: string): Promise<PlanDocumentKind[]> {
      const em = orm.em.fork();
      const version = await em.findOneOrFail(PlanVersion, { id: planVersionId });
      const plan = await em.findOneOrFail(Plan, { id: version.plan });
      const product = await em.findOneOrFail(MainProduct, { id: plan.product });
      const manufacturer = await em.findOneOrFail(Manufacturer, { id: plan.manufacturer });
      const have = new Set(
        (await em.find(PlanDocument, { planVersion: version.id }, { fields: ['kind'] })).map((d) => d.kind),
      );
      const url = publicPlanUrl(publicBaseUrl, plan.code);
      const render: Record<PlanDocumentKind, () => Promise<{ contentType: string; content: Buffer }>> = {
        qr_png: async () => ({ contentType: 'image/png', content: await renderQrPng(url) }),
        qr_svg: async () => ({ contentType: 'image/svg+xml', content: Buffer.from(await renderQrSvg(url)) }),
        label_pdf: async () => ({
          contentType: 'application/pdf',
          content: await renderPlanLabelPdf({
            planNameZh: plan.nameZh,
            planNameEn: plan.nameEn,
            manufacturerName: manufacturer.name,
            brand: product.brand,
            productName: product.name,
            model: product.model,
            priceFen: version.priceFen,
            currency: version.currency,
            termMonths: version.termMonths,
            publicUrl: url,
            planCode: plan.code,
            version: version.version,
          }),
        }),
      };
      for (const kind of Object.keys(render) as PlanDocumentKind[]) {
        if (have.has(kind)) continue;
        em.create(PlanDocument, { planVersion: version.id, kind, ...(await render[kind]()) });
      }
      await em.flush();
      return Object.keys(render) as PlanDocumentKind[];
    },
  };
}

export type PlanCreationActivities = ReturnType<typeof createPlanCreationActivities>;
