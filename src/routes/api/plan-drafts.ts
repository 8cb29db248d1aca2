import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { PlanCreationStatusSchema } from '../../../workflows/plan-creation.schemas.ts';
import { COVERAGE_TYPES } from '../../domain/catalog.ts';
import { PlanDraft } from '../../domain/entities/index.ts';
import { PLAN_DRAFT_STATUSES } from '../../domain/entities/plan-draft.entity.ts';
import {
  ClauseSelectionSchema,
  MatchingResultSchema,
  ReviewRecordSchema,
} from '../../domain/plan-draft.schemas.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import {
  createPlanDraft,
  ownDraft,
  type StaffName,
  staffNamesOf,
  waitingSeconds,
} from '../../services/plan-drafts.ts';
import { planCreationStatus, reviewDraft, submitSelection } from '../../temporal/plan-creation.client.ts';
import {
  CoverageStartRuleSchema,
  CoverageTypeSchema,
  errors,
  Fen,
  Id,
  IdParams,
  Pagination,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';
import { formSchemaCheck } from '../validation.ts';

const StaffNameView = Type.Object({ id: Id, displayName: Type.String() });
export const DraftView = Type.Object({
  id: Id,
  productId: Id,
  nameZh: Type.String(),
  nameEn: Type.String(),
  termMonths: Type.Integer(),
  coverageStartRule: CoverageStartRuleSchema,
  priceFen: Type.Integer(),
  currency: Type.String(),
  purchaseWindowDays: Type.Integer(),
  coolingOffDays: Type.Integer(),
  coverageTypes: Type.Array(CoverageTypeSchema),
  status: StringEnum(PLAN_DRAFT_STATUSES),
  workflowId: Type.String(),
  createdBy: Id,
  revisesPlanId: Type.Union([Id, Type.Null()], { description: 'the plan this draft is a new version of' }),
  submittedBy: Type.Union([Id, Type.Null()]),
  submitter: Type.Union([StaffNameView, Type.Null()], { description: 'who submitted the clause selection' }),
  submittedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  waitingSeconds: Type.Union([Type.Integer(), Type.Null()], {
    description: 'how long it has waited for review (awaiting_review only)',
  }),
  selection: Type.Union([ClauseSelectionSchema, Type.Null()], { description: 'null until submitted' }),
  reviews: Type.Array(
    Type.Composite([ReviewRecordSchema, Type.Object({ reviewer: Type.Union([StaffNameView, Type.Null()]) })]),
    { description: 'every review decision, oldest first' },
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
/** A draft as the API shows it; `staff` names the submitter and reviewers (staffNamesOf). */
export const draftView = (
  d: PlanDraft,
  staff: Map<string, StaffName>,
  now = new Date(),
): Static<typeof DraftView> => ({
  id: d.id,
  productId: d.product,
  nameZh: d.nameZh,
  nameEn: d.nameEn,
  termMonths: d.termMonths,
  coverageStartRule: d.coverageStartRule,
  priceFen: d.priceFen,
  currency: d.currency,
  purchaseWindowDays: d.purchaseWindowDays,
  coolingOffDays: d.coolingOffDays,
  coverageTypes: d.coverageTypes,
  status: d.status,
  workflowId: d.workflowId,
  createdBy: d.createdBy,
  revisesPlanId: d.revisesPlan ?? null,
  submittedBy: d.submittedBy ?? null,
  submitter: (d.submittedBy && staff.get(d.submittedBy)) || null,
  submittedAt: d.submittedAt?.toISOString() ?? null,
  waitingSeconds: waitingSeconds(d, now),
  selection: d.selection ?? null,
  reviews: d.reviews.map((r) => ({ ...r, reviewer: staff.get(r.reviewerId) ?? null })),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

const CustomClauseInput = Strict({
  coverageType: CoverageTypeSchema,
  titleZh: Text(100),
  titleEn: Text(200),
  bodyZh: Text(4000),
  bodyEn: Text(8000),
});

/** Plan drafts and their PlanCreationWorkflow (patent modules 5 and 7; services/plan-drafts.ts). */
export const planDraftRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.deps;
  const own = (request: Parameters<typeof memberOf>[0], id: string) =>
    ownDraft(request.em, memberOf(request).manufacturer.id, id);

  app.post(
    '/plan-drafts',
    {
      onRequest: requireMember(app, 'editor'),
      // Schema and requirement rules answer together (formSchemaCheck).
      attachValidation: true,
      schema: {
        tags: ['plans'],
        summary: 'Enter a warranty requirement; starts its PlanCreationWorkflow',
        body: Strict({
          productId: Id,
          nameZh: Text(100, 'plan name in Chinese'),
          nameEn: Text(200, 'plan name in English'),
          termMonths: Type.Integer({ minimum: 1, maximum: 120 }),
          coverageStartRule: CoverageStartRuleSchema,
          priceFen: Fen('plan price'),
          purchaseWindowDays: Type.Integer({
            minimum: 1,
            maximum: 3650,
            description: 'days after the main product was bought during which the plan can be bought',
          }),
          coolingOffDays: Type.Integer({
            minimum: 1,
            maximum: 365,
            default: 30,
            description: 'days after payment during which a cancellation without claims is refunded in full',
          }),
          coverageTypes: Type.Array(StringEnum(COVERAGE_TYPES), { minItems: 1, uniqueItems: true }),
        }),
        response: { 201: DraftView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { manufacturer, user } = memberOf(request);
      const draft = await createPlanDraft(
        { em: request.em, client: temporal, config },
        { manufacturerId: manufacturer.id, userId: user.id },
        request.body,
        formSchemaCheck(request),
      );
      return reply.code(201).send(draftView(draft, new Map()));
    },
  );

  app.get(
    '/plan-drafts',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        summary:
          "Your manufacturer's drafts, last changed first; status=awaiting_review is the approver's queue, longest waiting first",
        querystring: Type.Composite([
          Type.Object({ status: Type.Optional(StringEnum(PLAN_DRAFT_STATUSES)) }),
          Pagination,
        ]),
        response: {
          200: Type.Object({ items: Type.Array(DraftView), total: Type.Integer() }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      const [items, total] = await request.em.findAndCount(
        PlanDraft,
        { manufacturer: memberOf(request).manufacturer.id, ...(status ? { status } : {}) },
        {
          orderBy: status === 'awaiting_review' ? { submittedAt: 'asc', id: 'asc' } : { updatedAt: 'desc' },
          limit,
          offset,
        },
      );
      const staff = await staffNamesOf(request.em, items);
      return { items: items.map((d) => draftView(d, staff)), total };
    },
  );

  app.get(
    '/plan-drafts/:id',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        summary: 'A draft with its suggestions and the live state of its workflow',
        params: IdParams,
        response: {
          200: Type.Object({
            draft: DraftView,
            suggestions: Type.Union([MatchingResultSchema, Type.Null()], {
              description: 'similar cases and clauses; null until matching has run',
            }),
            workflow: Type.Union([PlanCreationStatusSchema, Type.Null()], {
              description: 'PlanCreationWorkflow status query, null if unreachable',
            }),
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      // Query first, read second: the activities write the row before the workflow moves on,
      // so the row read afterwards already holds whatever the reported stage implies
      // (in the other order a draft could say awaiting_selection with no suggestions yet).
      // The status is only returned once own() has checked the caller's manufacturer.
      const workflow = await planCreationStatus(temporal, request.params.id);
      const draft = await own(request, request.params.id);
      return {
        draft: draftView(draft, await staffNamesOf(request.em, [draft])),
        suggestions: draft.suggestions ?? null,
        workflow,
      };
    },
  );

  app.post(
    '/plan-drafts/:id/selection',
    {
      onRequest: requireMember(app, 'editor'),
      schema: {
        tags: ['plans'],
        summary: 'Submit the clause selection for review (a workflow Update, validated synchronously)',
        params: IdParams,
        body: Strict({
          clauseIds: Type.Array(Id, { maxItems: 60 }),
          customClauses: Type.Array(CustomClauseInput, { maxItems: 10, default: [] }),
        }),
        response: { 200: PlanCreationStatusSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const draft = await own(request, request.params.id);
      return submitSelection(temporal, draft.id, { ...request.body, submittedBy: memberOf(request).user.id });
    },
  );

  app.post(
    '/plan-drafts/:id/review',
    {
      onRequest: requireMember(app, 'approver'),
      schema: {
        tags: ['plans'],
        summary: 'Approve (publishes the plan) or request changes; never by the submitter',
        params: IdParams,
        body: Strict({
          decision: StringEnum(['approve', 'request_changes'] as const),
          comment: Type.String({ maxLength: 2000, default: '' }),
        }),
        response: { 200: PlanCreationStatusSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const draft = await own(request, request.params.id);
      return reviewDraft(temporal, draft.id, { reviewerId: memberOf(request).user.id, ...request.body });
    },
  );
};
