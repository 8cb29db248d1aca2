/**
 * A manufacturer's own workflows as business timelines (drafts, purchases, claims, cancellations, unit
 * batches): what the auditor sees, scoped to the tenant. The Temporal UI stays with the operators.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { manufacturerWorkflowTimeline } from '../../services/workflow-audit.ts';
import { errors, TimelineStepView, WorkflowParams } from '../schemas.ts';

export const workflowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client } = app.deps;
  app.get(
    '/workflows/:workflowId/timeline',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['workflows'],
        summary:
          "The business timeline of one of your manufacturer's workflows (its latest run); another " +
          "manufacturer's is a 404",
        params: WorkflowParams,
        response: {
          200: Type.Object({
            workflow: Type.Object({
              workflowId: Type.String(),
              type: Type.String(),
              status: Type.String(),
              businessStatus: Type.Union([Type.String(), Type.Null()]),
              startTime: Type.String({ format: 'date-time' }),
              closeTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
              orderNumber: Type.Union([Type.String(), Type.Null()]),
            }),
            steps: Type.Array(TimelineStepView),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      manufacturerWorkflowTimeline(
        request.em,
        client,
        memberOf(request).manufacturer.id,
        request.params.workflowId,
      ),
  );
};
