/**
 * The auditor's view (read-only; platform admins may read it too): every
 * workflow from Temporal visibility with filters, each one's history as a
 * business timeline and as raw JSON, and the reconciliation of payments with
 * orders. Manufacturer users get 403 here, like auditors on manufacturer routes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import { WorkflowNotFoundError } from '@temporalio/common';
import proto from '@temporalio/proto';
import * as workflowExports from '../../../workflows/index.ts';
import {
  BUSINESS_STATUS,
  MANUFACTURER_ID,
  ORDER_NUMBER,
  PLAN_ID,
} from '../../../workflows/search-attributes.ts';
import { addDays } from '../../domain/coverage.ts';
import { Manufacturer, Plan } from '../../domain/entities/index.ts';
import { fieldProblem, invalid, notFound } from '../../domain/errors.ts';
import { ORDER_NUMBER_PATTERN } from '../../domain/order-links.ts';
import { isUuid } from '../../domain/uuid.ts';
import { requireUser } from '../../plugins/auth.ts';
import { csvStream } from '../../services/csv.ts';
import {
  CSV_COLUMNS,
  LEDGER_KINDS,
  providerRecordsFor,
  RECONCILIATION_RESULTS,
  type ReconciliationFilter,
  reconciliationPage,
  reconciliationRows,
  reconciliationSummary,
} from '../../services/reconciliation.ts';
import { buildTimeline, nameActors, temporalUiUrl } from '../../services/workflow-timeline.ts';
import { historyToJSON } from '../../temporal/history-json.ts';
import { decodeFetchedHistory } from '../../temporal/payload-codec.ts';
import { timestampToMs } from '../../temporal/timestamps.ts';
import { errors, Id, Pagination, StringEnum } from '../schemas.ts';

/** Every workflow the worker runs, by its exported name (workflows/index.ts is the list). */
export const WORKFLOW_TYPES = Object.keys(workflowExports).sort();
/**
 * Workflows a Temporal Schedule starts, not a person (the sales roll-up runs every
 * minute). The list leaves them out unless their type is asked for, so they do not
 * bury the business workflows an auditor is looking for.
 */
export const SCHEDULED_WORKFLOW_TYPES = [workflowExports.StatsRollupWorkflow.name];

const STATUS = proto.temporal.api.enums.v1.WorkflowExecutionStatus;
/** Our words for execution statuses ↔ the names the visibility query language uses. */
const EXECUTION_STATUSES = {
  running: { visibility: 'Running', code: STATUS.WORKFLOW_EXECUTION_STATUS_RUNNING },
  completed: { visibility: 'Completed', code: STATUS.WORKFLOW_EXECUTION_STATUS_COMPLETED },
  failed: { visibility: 'Failed', code: STATUS.WORKFLOW_EXECUTION_STATUS_FAILED },
  canceled: { visibility: 'Canceled', code: STATUS.WORKFLOW_EXECUTION_STATUS_CANCELED },
  terminated: { visibility: 'Terminated', code: STATUS.WORKFLOW_EXECUTION_STATUS_TERMINATED },
  continued_as_new: { visibility: 'ContinuedAsNew', code: STATUS.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW },
  timed_out: { visibility: 'TimedOut', code: STATUS.WORKFLOW_EXECUTION_STATUS_TIMED_OUT },
} as const;
type ExecutionStatus = keyof typeof EXECUTION_STATUSES;
export const EXECUTION_STATUS_NAMES = Object.keys(EXECUTION_STATUSES) as ExecutionStatus[];
const statusName = (code: number | null | undefined): ExecutionStatus | 'unknown' =>
  EXECUTION_STATUS_NAMES.find((name) => EXECUTION_STATUSES[name].code === code) ?? 'unknown';

const WORKFLOW_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$';
const BUSINESS_STATUS_PATTERN = '^[a-z][a-z_]{0,39}$';
/** Page token: the visibility server's bytes and an HMAC binding them to the query (base64url both). */
const PAGE_TOKEN_PATTERN = '^[A-Za-z0-9_-]{1,4000}\\.[A-Za-z0-9_-]{43}$';

/**
 * Page tokens are signed, so a forged or edited token is refused here with a
 * 400 (the visibility server would answer it with an opaque error after
 * retries) and a token only continues the query it came from.
 */
export function signPageToken(secret: string, query: string, token: Uint8Array): string {
  const payload = Buffer.from(token).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(`audit-page:${query}:${payload}`).digest('base64url')}`;
}

export function openPageToken(secret: string, query: string, signed: string): Buffer | null {
  const [payload = '', mac = ''] = signed.split('.');
  const expected = createHmac('sha256', secret).update(`audit-page:${query}:${payload}`).digest();
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? Buffer.from(payload, 'base64url')
    : null;
}

export interface WorkflowFilter {
  type?: string;
  status?: ExecutionStatus;
  manufacturerId?: string;
  planId?: string;
  orderNumber?: string;
  businessStatus?: string;
  from?: string;
  to?: string;
}

/**
 * A value for the visibility query. Every value was already held to a strict
 * pattern by the route's schema; this refuses anything that could still close
 * the string (quotes, backslashes), so a filter can never become query syntax.
 */
function literal(value: string): string {
  if (!/^[A-Za-z0-9_.:+-]+$/.test(value)) throw invalid([fieldProblem('querystring', 'queryCharacter')]);
  return `"${value}"`;
}

/** The visibility query for the filters; the app's own task queue keeps other deployments' workflows out. */
export function visibilityQuery(filter: WorkflowFilter, taskQueue: string): string {
  const parts = [`TaskQueue = ${literal(taskQueue)}`];
  if (filter.type) parts.push(`WorkflowType = ${literal(filter.type)}`);
  else parts.push(...SCHEDULED_WORKFLOW_TYPES.map((type) => `WorkflowType != ${literal(type)}`));
  if (filter.status) parts.push(`ExecutionStatus = ${literal(EXECUTION_STATUSES[filter.status].visibility)}`);
  if (filter.manufacturerId) parts.push(`${MANUFACTURER_ID.name} = ${literal(filter.manufacturerId)}`);
  if (filter.planId) parts.push(`${PLAN_ID.name} = ${literal(filter.planId)}`);
  if (filter.orderNumber) parts.push(`${ORDER_NUMBER.name} = ${literal(filter.orderNumber)}`);
  if (filter.businessStatus) parts.push(`${BUSINESS_STATUS.name} = ${literal(filter.businessStatus)}`);
  if (filter.from) parts.push(`StartTime >= ${literal(new Date(filter.from).toISOString())}`);
  if (filter.to) parts.push(`StartTime < ${literal(new Date(filter.to).toISOString())}`);
  return parts.join(' AND ');
}

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

const TimelineStepView = Type.Object({
  eventId: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  step: Type.String(),
  outcome: Type.String(),
  textZh: Type.String(),
  textEn: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Union([Type.Number(), Type.Null()]),
  attempts: Type.Union([Type.Integer(), Type.Null()]),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
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

/** China-time days (inclusive) → the instants of the ledger filter. */
function reconciliationFilter(query: {
  from?: string;
  to?: string;
  manufacturerId?: string;
  flaggedOnly?: boolean;
}): ReconciliationFilter {
  if (query.from && query.to && query.from > query.to)
    throw invalid([fieldProblem('querystring.to', 'toBeforeFrom')]);
  return {
    ...(query.from ? { from: new Date(`${query.from}T00:00:00+08:00`) } : {}),
    ...(query.to ? { to: new Date(`${addDays(query.to, 1)}T00:00:00+08:00`) } : {}),
    ...(query.manufacturerId ? { manufacturerId: query.manufacturerId } : {}),
    ...(query.flaggedOnly ? { flaggedOnly: true } : {}),
  };
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config, payments } = app.deps;
  const staff = requireUser(app, 'auditor', 'platform_admin');
  /** The filter with the providers' own records of the report's payments that only their APIs hold. */
  const withProviderRecords = async (em: EntityManager, filter: ReconciliationFilter) => ({
    ...filter,
    providerRecords: await providerRecordsFor(em, payments, filter),
  });
  const converter = client.options.loadedDataConverter.payloadConverter;
  const decodeAttribute = (payload: proto.temporal.api.common.v1.IPayload | undefined): string | null => {
    if (!payload) return null;
    try {
      const value = converter.fromPayload(payload);
      const single = Array.isArray(value) ? value[0] : value;
      return typeof single === 'string' ? single : null;
    } catch {
      return null;
    }
  };
  const uiUrl = (workflowId: string, runId: string) =>
    temporalUiUrl(config.temporal.webUiUrl, config.temporal.namespace, workflowId, runId);

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
            manufacturers: Type.Array(Type.Object({ id: Id, name: Type.String(), status: Type.String() })),
            temporalUiUrl: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const manufacturers = await request.em.find(Manufacturer, {}, { orderBy: { name: 'asc' } });
      return {
        workflowTypes: WORKFLOW_TYPES,
        scheduledWorkflowTypes: SCHEDULED_WORKFLOW_TYPES,
        statuses: EXECUTION_STATUS_NAMES,
        manufacturers: manufacturers.map(({ id, name, status }) => ({ id, name, status })),
        temporalUiUrl: config.temporal.webUiUrl,
      };
    },
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
            Type.String({ pattern: BUSINESS_STATUS_PATTERN, description: 'stage, e.g. awaiting_payment' }),
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
    async (request) => {
      const { pageSize, pageToken, ...filter } = request.query;
      if (filter.from && filter.to && Date.parse(filter.from) > Date.parse(filter.to))
        throw invalid([fieldProblem('querystring.to', 'toBeforeFrom')]);
      const query = visibilityQuery(filter, config.temporal.taskQueue);
      const token = pageToken
        ? openPageToken(config.cookieSecret, `${query}|${pageSize}`, pageToken)
        : Buffer.alloc(0);
      if (!token) throw invalid([fieldProblem('querystring.pageToken', 'pageToken')]);
      // The same call client.workflow.list() makes, with its page token exposed so the list pages.
      const [response, counted] = await Promise.all([
        client.workflowService.listWorkflowExecutions({
          namespace: config.temporal.namespace,
          query,
          pageSize,
          nextPageToken: token,
        }),
        client.workflow.count(query),
      ]);
      const executions = response.executions ?? [];
      const attributes = executions.map((e) => e.searchAttributes?.indexedFields ?? {});
      const manufacturerIds = attributes.map((a) => decodeAttribute(a[MANUFACTURER_ID.name])).filter(isUuid);
      const planIds = attributes.map((a) => decodeAttribute(a[PLAN_ID.name])).filter(isUuid);
      const [manufacturers, plans] = await Promise.all([
        manufacturerIds.length
          ? request.em.find(Manufacturer, { id: { $in: [...new Set(manufacturerIds)] } })
          : Promise.resolve([]),
        planIds.length ? request.em.find(Plan, { id: { $in: [...new Set(planIds)] } }) : Promise.resolve([]),
      ]);
      const manufacturerById = new Map(manufacturers.map((m) => [m.id, m]));
      const planById = new Map(plans.map((p) => [p.id, p]));
      const items = executions.map((e, i) => {
        const fields = attributes[i] ?? {};
        const manufacturerId = decodeAttribute(fields[MANUFACTURER_ID.name]);
        const planId = decodeAttribute(fields[PLAN_ID.name]);
        const manufacturer = manufacturerId ? manufacturerById.get(manufacturerId) : undefined;
        const plan = planId ? planById.get(planId) : undefined;
        const workflowId = e.execution?.workflowId ?? '';
        const runId = e.execution?.runId ?? '';
        return {
          workflowId,
          runId,
          type: e.type?.name ?? '',
          status: statusName(e.status),
          startTime: new Date(timestampToMs(e.startTime)).toISOString(),
          closeTime: e.closeTime ? new Date(timestampToMs(e.closeTime)).toISOString() : null,
          historyLength: Number(e.historyLength ?? 0),
          businessStatus: decodeAttribute(fields[BUSINESS_STATUS.name]),
          orderNumber: decodeAttribute(fields[ORDER_NUMBER.name]),
          manufacturer: manufacturer
            ? { id: manufacturer.id, name: manufacturer.name }
            : manufacturerId
              ? { id: manufacturerId, name: manufacturerId }
              : null,
          plan: plan ? { id: plan.id, code: plan.code, nameZh: plan.nameZh, nameEn: plan.nameEn } : null,
          temporalUiUrl: uiUrl(workflowId, runId),
        };
      });
      const next = response.nextPageToken;
      return {
        query,
        items,
        total: counted.count,
        nextPageToken:
          next && next.length > 0 ? signPageToken(config.cookieSecret, `${query}|${pageSize}`, next) : null,
      };
    },
  );

  const WorkflowParams = Type.Object({ workflowId: Type.String({ pattern: WORKFLOW_ID_PATTERN }) });
  const RunQuery = Type.Object({
    runId: Type.Optional(Type.String({ format: 'uuid', description: 'a run; the latest when omitted' })),
  });

  /** The run's description and history; a workflow nobody started answers 404. */
  async function loadRun(workflowId: string, runId: string | undefined) {
    const handle = client.workflow.getHandle(workflowId, runId);
    try {
      const description = await handle.describe();
      const history = await client.workflow.getHandle(workflowId, description.runId).fetchHistory();
      // fetchHistory returns payloads as stored (encrypted); timeline and export read them decrypted.
      await decodeFetchedHistory(client, history);
      return { description, history };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound('workflow');
      throw err;
    }
  }

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
    async (request) => {
      const { workflowId } = request.params;
      const { description, history } = await loadRun(workflowId, request.query.runId);
      const attributes = description.typedSearchAttributes;
      const manufacturerId = attributes.get(MANUFACTURER_ID) ?? null;
      const planId = attributes.get(PLAN_ID) ?? null;
      const [manufacturer, plan] = await Promise.all([
        manufacturerId && isUuid(manufacturerId)
          ? request.em.findOne(Manufacturer, { id: manufacturerId })
          : Promise.resolve(null),
        planId && isUuid(planId) ? request.em.findOne(Plan, { id: planId }) : Promise.resolve(null),
      ]);
      const steps = await nameActors(
        request.em,
        buildTimeline(description.type, history.events ?? [], converter),
      );
      const closeTime = description.closeTime ?? null;
      return {
        workflow: {
          workflowId,
          runId: description.runId,
          type: description.type,
          status: statusName(description.raw.workflowExecutionInfo?.status),
          startTime: description.startTime.toISOString(),
          closeTime: closeTime ? closeTime.toISOString() : null,
          durationMs: closeTime ? closeTime.getTime() - description.startTime.getTime() : null,
          historyLength: description.historyLength,
          taskQueue: description.taskQueue,
          businessStatus: attributes.get(BUSINESS_STATUS) ?? null,
          orderNumber: attributes.get(ORDER_NUMBER) ?? null,
          manufacturer: manufacturer
            ? { id: manufacturer.id, name: manufacturer.name }
            : manufacturerId
              ? { id: manufacturerId, name: manufacturerId }
              : null,
          plan: plan ? { id: plan.id, code: plan.code, nameZh: plan.nameZh, nameEn: plan.nameEn } : null,
          temporalUiUrl: uiUrl(workflowId, description.runId),
        },
        steps,
        rawHistoryUrl: `/api/v1/audit/workflows/${encodeURIComponent(workflowId)}/history?runId=${description.runId}`,
      };
    },
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
      const { description, history } = await loadRun(workflowId, request.query.runId);
      // The export is decrypted: who took it is on record.
      request.log.info(
        { userId: request.auth?.user.id, workflowId, runId: description.runId },
        'decrypted workflow history exported',
      );
      return reply
        .type('application/json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${workflowId}_${description.runId}.history.json"`,
        )
        .send(historyToJSON(history));
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
      const { limit, offset, ...query } = request.query;
      const filter = await withProviderRecords(request.em, reconciliationFilter(query));
      const [summary, page] = await Promise.all([
        reconciliationSummary(request.em, filter),
        reconciliationPage(request.em.fork(), filter, { limit, offset }),
      ]);
      return { summary, rows: page.rows, total: page.total };
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
      const em = request.em;
      const filter = await withProviderRecords(em, reconciliationFilter(request.query));
      async function* records() {
        for await (const row of reconciliationRows(em, filter)) yield CSV_COLUMNS.map((c) => row[c]);
      }
      const name = `yanbao-reconciliation-${request.query.from ?? 'all'}-${request.query.to ?? 'now'}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(csvStream(CSV_COLUMNS, records()));
    },
  );
};
