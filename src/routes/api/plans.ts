import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { COVERAGE_TYPES } from '../../domain/catalog.ts';
import { Plan, PlanDocument, PlanDraft, PlanVersion, User } from '../../domain/entities/index.ts';
import { PLAN_DOCUMENT_KINDS } from '../../domain/entities/plan-document.entity.ts';
import { OPEN_DRAFT_STATUSES } from '../../domain/entities/plan-draft.entity.ts';
import { PLAN_SALE_ACTIONS } from '../../domain/entities/plan-sale-event.entity.ts';
import { notFound } from '../../domain/errors.ts';
import { ClauseSnapshotSchema } from '../../domain/plan-draft.schemas.ts';
import { publicPlanUrl } from '../../domain/public-code.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { staffNamesOf } from '../../services/plan-drafts.ts';
import { createPlanVersionDraft, ownPlan, planSaleEvents, setPlanOnSale } from '../../services/plans.ts';
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
} from '../schemas.ts';
import { DraftView, draftView } from './plan-drafts.ts';

const PlanSummary = Type.Object({
  id: Id,
  code: Type.String(),
  productId: Id,
  draftId: Id,
  nameZh: Type.String(),
  nameEn: Type.String(),
  status: Type.String(),
  currentVersion: Type.Integer(),
  publicUrl: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

/** A published version: its terms and clauses frozen as they were approved. */
const PlanVersionView = Type.Object({
  id: Id,
  version: Type.Integer(),
  draftId: Type.Union([Id, Type.Null()], {
    description: 'the draft it was reviewed as; null before drafts were kept',
  }),
  termMonths: Type.Integer(),
  coverageStartRule: CoverageStartRuleSchema,
  priceFen: Type.Integer(),
  currency: Type.String(),
  purchaseWindowDays: Type.Integer(),
  coolingOffDays: Type.Integer(),
  coverageTypes: Type.Array(CoverageTypeSchema),
  clauses: Type.Array(ClauseSnapshotSchema),
  submittedBy: Id,
  approvedBy: Id,
  publishedAt: Type.String({ format: 'date-time' }),
});

/** Published plans (patent module 8) with their frozen versions and documents. */
export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, temporal } = app.deps;
  const summary = (p: Plan) => ({
    id: p.id,
    code: p.code,
    productId: p.product,
    draftId: p.draft,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    status: p.status,
    currentVersion: p.currentVersion,
    publicUrl: publicPlanUrl(config.publicBaseUrl, p.code),
    createdAt: p.createdAt.toISOString(),
  });
  const own = (request: Parameters<typeof memberOf>[0], id: string) =>
    ownPlan(request.em, memberOf(request).manufacturer.id, id);
  const member = (request: Parameters<typeof memberOf>[0]) => {
    const { manufacturer, user } = memberOf(request);
    return { manufacturerId: manufacturer.id, userId: user.id };
  };

  app.get(
    '/plans',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        querystring: Pagination,
        response: {
          200: Type.Object({ items: Type.Array(PlanSummary), total: Type.Integer() }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      const [items, total] = await request.em.findAndCount(
        Plan,
        { manufacturer: memberOf(request).manufacturer.id },
        { orderBy: { createdAt: 'desc' }, limit: request.query.limit, offset: request.query.offset },
      );
      return { items: items.map(summary), total };
    },
  );

  app.get(
    '/plans/:id',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        params: IdParams,
        response: {
          200: Type.Composite([
            PlanSummary,
            Type.Object({
              versions: Type.Array(PlanVersionView, { description: 'newest first' }),
              documents: Type.Array(Type.Object({ kind: Type.String(), url: Type.String() })),
              saleEvents: Type.Array(
                Type.Object({
                  action: StringEnum(PLAN_SALE_ACTIONS),
                  userId: Id,
                  userName: Type.String({ description: "the user's display name" }),
                  at: Type.String({ format: 'date-time' }),
                }),
                { description: 'who stopped or resumed selling the plan, newest first' },
              ),
              openVersionDraftId: Type.Union([Id, Type.Null()], {
                description: 'the new version of this plan under way (in review), if any',
              }),
            }),
          ]),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const plan = await own(request, request.params.id);
      const versions = await request.em.find(
        PlanVersion,
        { plan: plan.id },
        { orderBy: { version: 'desc' } },
      );
      const current = versions.find((v) => v.version === plan.currentVersion);
      const [documents, saleEvents, openVersion] = await Promise.all([
        current ? request.em.find(PlanDocument, { planVersion: current.id }, { fields: ['kind'] }) : [],
        planSaleEvents(request.em, plan.id),
        request.em.findOne(PlanDraft, { revisesPlan: plan.id, status: { $in: OPEN_DRAFT_STATUSES } }),
      ]);
      const people = await request.em.find(User, {
        id: { $in: [...new Set(saleEvents.map((e) => e.user))] },
      });
      const nameOf = new Map(people.map((u) => [u.id, u.displayName]));
      return {
        ...summary(plan),
        versions: versions.map(
          ({
            id,
            version,
            draft,
            termMonths,
            coverageStartRule,
            priceFen,
            currency,
            purchaseWindowDays,
            coolingOffDays,
            coverageTypes,
            clauses,
            submittedBy,
            approvedBy,
            publishedAt,
          }): Static<typeof PlanVersionView> => ({
            id,
            version,
            draftId: draft ?? null,
            termMonths,
            coverageStartRule,
            priceFen,
            currency,
            purchaseWindowDays,
            coolingOffDays,
            coverageTypes,
            clauses,
            submittedBy,
            approvedBy,
            publishedAt: publishedAt.toISOString(),
          }),
        ),
        documents: documents.map((d) => ({
          kind: d.kind,
          url: `/api/v1/plans/${plan.id}/documents/${d.kind}`,
        })),
        saleEvents: saleEvents.map((e) => ({
          action: e.action,
          userId: e.user,
          userName: nameOf.get(e.user) ?? '',
          at: e.createdAt.toISOString(),
        })),
        openVersionDraftId: openVersion?.id ?? null,
      };
    },
  );

  app.get(
    '/plans/:id/documents/:kind',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        summary: 'QR code (PNG or SVG) or printable PDF label of the current version',
        params: Type.Object({ id: Id, kind: StringEnum(PLAN_DOCUMENT_KINDS) }),
        response: { ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const plan = await own(request, request.params.id);
      const version = await request.em.findOneOrFail(PlanVersion, {
        plan: plan.id,
        version: plan.currentVersion,
      });
      const document = await request.em.findOne(
        PlanDocument,
        { planVersion: version.id, kind: request.params.kind },
        { populate: ['content'] },
      );
      if (!document) throw notFound('document');
      const extension = { qr_png: 'png', qr_svg: 'svg', label_pdf: 'pdf' }[request.params.kind];
      return reply
        .type(document.contentType)
        .header(
          'content-disposition',
          `attachment; filename="yanbao-${plan.code}-v${version.version}.${extension}"`,
        )
        .send(Buffer.from(document.content));
    },
  );

  for (const [action, onSale] of [
    ['stop', false],
    ['resume', true],
  ] as const)
    app.post(
      `/plans/:id/${action}`,
      {
        // Approvers decide what sells (they publish); editors prepare drafts. Admins run the account.
        onRequest: requireMember(app, 'approver', 'admin'),
        schema: {
          tags: ['plans'],
          summary: onSale
            ? 'Sell the plan again (idempotent; recorded with who and when)'
            : 'Stop selling the plan: its QR page says "no longer on sale"; sold orders and payments under way are unaffected (idempotent; recorded)',
          params: IdParams,
          response: { 200: PlanSummary, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) =>
        summary(
          await setPlanOnSale(
            { em: request.em, landingCache: app.landingCache },
            member(request),
            request.params.id,
            onSale,
          ),
        ),
    );

  app.post(
    '/plans/:id/versions',
    {
      onRequest: requireMember(app, 'editor'),
      schema: {
        tags: ['plans'],
        summary:
          'Open a new version of the plan as a draft (same product, name and QR code) that goes through clause selection and review; ' +
          'omitted terms are copied from the current version. 201 with a new draft, 200 with the same draft for a repeated request',
        params: IdParams,
        body: Strict({
          termMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
          coverageStartRule: Type.Optional(CoverageStartRuleSchema),
          priceFen: Type.Optional(Fen('plan price')),
          purchaseWindowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          coolingOffDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          coverageTypes: Type.Optional(
            Type.Array(StringEnum(COVERAGE_TYPES), { minItems: 1, uniqueItems: true }),
          ),
        }),
        response: { 200: DraftView, 201: DraftView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { draft, created } = await createPlanVersionDraft(
        { em: request.em, client: temporal, config },
        member(request),
        request.params.id,
        request.body ?? {},
      );
      return reply.code(created ? 201 : 200).send(draftView(draft, await staffNamesOf(request.em, [draft])));
    },
  );
};
