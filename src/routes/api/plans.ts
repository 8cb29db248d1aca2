import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { Plan, PlanDocument, PlanVersion } from '../../domain/entities/index.ts';
import { PLAN_DOCUMENT_KINDS } from '../../domain/entities/plan-document.entity.ts';
import { notFound } from '../../domain/errors.ts';
import { ClauseSnapshotSchema } from '../../domain/plan-draft.schemas.ts';
import { publicPlanUrl } from '../../domain/public-code.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import {
  CoverageStartRuleSchema,
  CoverageTypeSchema,
  errors,
  Id,
  IdParams,
  Pagination,
  StringEnum,
} from '../schemas.ts';

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
  termMonths: Type.Integer(),
  coverageStartRule: CoverageStartRuleSchema,
  priceFen: Type.Integer(),
  currency: Type.String(),
  purchaseWindowDays: Type.Integer(),
  coverageTypes: Type.Array(CoverageTypeSchema),
  clauses: Type.Array(ClauseSnapshotSchema),
  submittedBy: Id,
  approvedBy: Id,
  publishedAt: Type.String({ format: 'date-time' }),
});

/** Published plans (patent module 8) with their frozen versions and documents. */
export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
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
  const own = async (request: Parameters<typeof memberOf>[0], id: string) => {
    const plan = await request.em.findOne(Plan, { id, manufacturer: memberOf(request).manufacturer.id });
    if (!plan) throw notFound('plan');
    return plan;
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
      const documents = current
        ? await request.em.find(PlanDocument, { planVersion: current.id }, { fields: ['kind'] })
        : [];
      return {
        ...summary(plan),
        versions: versions.map(
          ({
            id,
            version,
            termMonths,
            coverageStartRule,
            priceFen,
            currency,
            purchaseWindowDays,
            coverageTypes,
            clauses,
            submittedBy,
            approvedBy,
            publishedAt,
          }): Static<typeof PlanVersionView> => ({
            id,
            version,
            termMonths,
            coverageStartRule,
            priceFen,
            currency,
            purchaseWindowDays,
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
};
