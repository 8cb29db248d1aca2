import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PLAN_DOCUMENT_KINDS } from '../../domain/entities/plan-document.entity.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { currentPlanDocument, listPlans, ownPlan, planDetail } from '../../services/plans.ts';
import { errors, Id, IdParams, Pagination, StringEnum } from '../schemas.ts';

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

/** Published plans (patent module 8) with their frozen versions and documents. */
export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const own = (request: Parameters<typeof memberOf>[0], id: string) =>
    ownPlan(request.em, memberOf(request).manufacturer.id, id);

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
    async (request) =>
      listPlans(request.em, memberOf(request).manufacturer.id, request.query, config.publicBaseUrl),
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
              versions: Type.Array(Type.Unknown(), {
                description: 'frozen terms and clause snapshot per version',
              }),
              documents: Type.Array(Type.Object({ kind: Type.String(), url: Type.String() })),
            }),
          ]),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => planDetail(request.em, await own(request, request.params.id), config.publicBaseUrl),
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
      const { version, document } = await currentPlanDocument(request.em, plan, request.params.kind);
      const extension = { qr_png: 'png', qr_svg: 'svg', label_pdf: 'pdf' }[request.params.kind];
      return reply
        .type(document.contentType)
        .header('content-disposition', `attachment; filename="yanbao-${plan.code}-v${version}.${extension}"`)
        .send(Buffer.from(document.content));
    },
  );
};
