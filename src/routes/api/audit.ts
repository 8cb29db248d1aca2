/**
 * The auditor's view (read-only; platform admins may read it too): every
 * workflow from Temporal visibility with filters, each one's history as a
 * business timeline and as raw JSON, and the reconciliation of payments with
 * orders. Manufacturer users get 403 here, like auditors on manufacturer routes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PLAN_SALE_ACTIONS } from '../../domain/entities/plan-sale-event.entity.ts';
import { ORDER_NUMBER_PATTERN } from '../../domain/order-links.ts';
import { requireUser } from '../../plugins/auth.ts';
import { planSaleRecord } from '../../services/plans.ts';
import {
  LEDGER_KINDS,
  RECONCILIATION_RESULTS,
  reconciliationCsv,
  reconciliationReport,
} from '../../services/reconciliation.ts';
import {
  EXECUTION_STATUS_NAMES,
  listWorkflows,
  WORKFLOW_TYPES,
  workflowFilters,
  workflowHistoryJson,
  workflowRunTimeline,
} from '../../services/workflow-audit.ts';
import { errors, Id, Pagination, StringEnum, TimelineStepView, WorkflowParams } from '../schemas.ts';

const BUSINESS_STATUS_PATTERN = '^[a-z][a-z_]{0,39}$';
/** Page token: the visibility server's bytes and an HMAC binding them to the query (base64url both). */
const PAGE_TOKEN_PATTERN = '^[A-Za-z0-9_-]{1,4000}\\.[A-Za-z0-9_-]{43}$';

const WorkflowSummary = Type.Object({
  workflowId: Type.String(),
  runId: Type.String(),
  type: Type.String(),
  status: Type.String(),
  startTime: Type.String({ format: 'date-time' }),
  closeTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  historyLength: Type.Integer(),
  businessStatus: Type.Union([Type.String(), Type.Null()]),
  orderNumber: Type.Union([Type.String(), Type.Null()]),
  manufacturer: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  plan: Type.Union([
    Type.Object({ id: Type.String(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
    Type.Null(),
  ]),
  temporalUiUrl: Type.Union([Type.String(), Type.Null()]),
});

const ReconciliationRowView = Type.Object({
  kind: Type.String(),
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  orderNumber: Type.Union([Type.String(), Type.Null()]),
  orderStatus: Type.Union([Type.String(), Type.Null()]),
  manufacturerId: Type.Union([Type.String(), Type.Null()]),
  manufacturerName: Type.Union([Type.String(), Type.Null()]),
  provider: Type.Union([Type.String(), Type.Null()]),
  providerPaymentId: Type.Union([Type.String(), Type.Null()]),
  reference: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  amountFen: Type.Integer(),
  currency: Type.String(),
  providerStatus: Type.Union([Type.String(), Type.Null()], {
    description: "a payment's status in the provider's own ledger; null when not compared",
  }),
  result: Type.String(),
  flagged: Type.Boolean(),
});

const ReconciliationQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'first day (China time), inclusive' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'last day (China time), inclusive' })),
  manufacturerId: Type.Optional(Id),
  flaggedOnly: Type.Optional(Type.Boolean({ description: 'only rows that need explaining' })),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config, payments } = app.deps;
  const staff = requireUser(app, 'auditor', 'platform_admin');

  app.get(
    '/audit/filters',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary: 'What the workflow list can be filtered by: workflow types, statuses and manufacturers',
        response: {
          200: Type.Object({
            workflowTypes: Type.Array(Type.String()),
            scheduledWorkflowTypes: Type.Array(Type.String(), {
              description: 'types the list leaves out unless asked for by type',
            }),
            statuses: Type.Array(Type.String()),
            stages: Type.Array(Type.String(), {
              description: 'business stages (BusinessStatus), for the stage filter',
            }),
            manufacturers: Type.Array(Type.Object({ id: Id, name: Type.String(), status: Type.String() })),
            temporalUiUrl: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => workflowFilters(request.em, config),
  );

  app.get(
    '/audit/workflows',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary: 'Workflows from Temporal visibility, newest first, filtered; pages with nextPageToken',
        description:
          'Without a type filter, workflows started by a schedule (scheduledWorkflowTypes in /audit/filters) are left out.',
        querystring: Type.Object({
          type: Type.Optional(StringEnum(WORKFLOW_TYPES, 'workflow type')),
          status: Type.Optional(StringEnum(EXECUTION_STATUS_NAMES, 'execution status')),
          manufacturerId: Type.Optional(Id),
          planId: Type.Optional(Id),
          orderNumber: Type.Optional(Type.String({ pattern: ORDER_NUMBER_PATTERN })),
          businessStatus: Type.Optional(
            Type.String({
              pattern: BUSINESS_STATUS_PATTERN,
              description: 'stage, one of stages in /audit/filters',
            }),
          ),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'started at or after' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'started before' })),
          pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
          pageToken: Type.Optional(
            Type.String({ pattern: PAGE_TOKEN_PATTERN, description: 'nextPageToken of the previous page' }),
          ),
        }),
        response: {
          200: Type.Object({
            query: Type.String({ description: 'the visibility query that was run' }),
            items: Type.Array(WorkflowSummary),
            total: Type.Integer(),
            nextPageToken: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => listWorkflows(request.em, { client, config }, request.query),
  );

  const RunQuery = Type.Object({
    runId: Type.Optional(Type.String({ format: 'uuid', description: 'a run; the latest when omitted' })),
  });

  app.get(
    '/audit/workflows/:workflowId',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary: "A workflow run's history as a timeline of business steps",
        params: WorkflowParams,
        querystring: RunQuery,
        response: {
          200: Type.Object({
            workflow: Type.Composite([
              WorkflowSummary,
              Type.Object({ taskQueue: Type.String(), durationMs: Type.Union([Type.Number(), Type.Null()]) }),
            ]),
            steps: Type.Array(TimelineStepView),
            rawHistoryUrl: Type.String(),
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      workflowRunTimeline(request.em, { client, config }, request.params.workflowId, request.query.runId),
  );

  app.get(
    '/audit/workflows/:workflowId/history',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary:
          "A workflow run's raw history as JSON (the format `temporal workflow show --output json` writes)",
        params: WorkflowParams,
        querystring: RunQuery,
        response: { ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { workflowId } = request.params;
      const { runId, json } = await workflowHistoryJson(client, workflowId, request.query.runId);
      // The export is decrypted: who took it is on record.
      request.log.info(
        { userId: request.auth?.user.id, workflowId, runId },
        'decrypted workflow history exported',
      );
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${workflowId}_${runId}.history.json"`)
        .send(json);
    },
  );

  app.get(
    '/audit/plan-sale-events',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary: 'Who stopped or resumed selling which plan, and when; newest first',
        querystring: Type.Composite([
          Type.Object({ manufacturerId: Type.Optional(Id), planId: Type.Optional(Id) }),
          Pagination,
        ]),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                planId: Id,
                planCode: Type.String(),
                planNameZh: Type.String(),
                planNameEn: Type.String(),
                manufacturerId: Id,
                action: StringEnum(PLAN_SALE_ACTIONS),
                userId: Id,
                userEmail: Type.String(),
                at: Type.String({ format: 'date-time' }),
              }),
            ),
            total: Type.Integer(),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      return planSaleRecord(request.em, filter, { limit, offset });
    },
  );

  app.get(
    '/audit/reconciliation',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary:
          'Payments, refunds and orders reconciled: each row explained or flagged, with totals; filtered by the day money moved',
        querystring: Type.Composite([ReconciliationQuery, Pagination]),
        response: {
          200: Type.Object({
            summary: Type.Object({
              totals: Type.Array(
                Type.Object({
                  currency: Type.String(),
                  capturedFen: Type.Integer(),
                  refundedFen: Type.Integer(),
                  netFen: Type.Integer(),
                }),
              ),
              payments: Type.Integer(),
              refunds: Type.Integer(),
              flagged: Type.Integer(),
              byResult: Type.Array(
                Type.Object({
                  kind: StringEnum(LEDGER_KINDS),
                  result: StringEnum(RECONCILIATION_RESULTS),
                  flagged: Type.Boolean(),
                  count: Type.Integer(),
                  amountFen: Type.Integer(),
                }),
              ),
            }),
            rows: Type.Array(ReconciliationRowView),
            total: Type.Integer(),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { limit, offset, ...days } = request.query;
      return reconciliationReport(request.em, payments, days, { limit, offset });
    },
  );

  app.get(
    '/audit/reconciliation.csv',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary: 'The reconciliation rows as CSV (UTF-8 with BOM, for spreadsheets)',
        querystring: ReconciliationQuery,
        response: { ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const csv = await reconciliationCsv(request.em, payments, request.query);
      const name = `yanbao-reconciliation-${request.query.from ?? 'all'}-${request.query.to ?? 'now'}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(csv);
    },
  );
};
