/**
 * The auditor's view of the workflows: the list from Temporal visibility with
 * filters and signed page tokens, and one run's history as a business timeline
 * or as raw JSON. Both the list and a run name the manufacturer and the plan
 * their search attributes point at, through one enrichment.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import proto from '@temporalio/proto';
import * as workflowExports from '../../workflows/index.ts';
import {
  BUSINESS_STATUS,
  MANUFACTURER_ID,
  ORDER_NUMBER,
  PLAN_ID,
} from '../../workflows/search-attributes.ts';
import type { AppConfig } from '../config.ts';
import { Manufacturer, Plan } from '../domain/entities/index.ts';
import { fieldProblem, invalid, notFound } from '../domain/errors.ts';
import { isUuid } from '../domain/uuid.ts';
import { WORKFLOW_STAGES } from '../i18n/labels.ts';
import { historyToJSON } from '../temporal/history-json.ts';
import { decodeFetchedHistory } from '../temporal/payload-codec.ts';
import { timestampToMs } from '../temporal/timestamps.ts';
import { stepInWords, temporalUiUrl, workflowTimeline } from './workflow-timeline.ts';

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
export type ExecutionStatus = keyof typeof EXECUTION_STATUSES;
export const EXECUTION_STATUS_NAMES = Object.keys(EXECUTION_STATUSES) as ExecutionStatus[];
const statusName = (code: number | null | undefined): ExecutionStatus | 'unknown' =>
  EXECUTION_STATUS_NAMES.find((name) => EXECUTION_STATUSES[name].code === code) ?? 'unknown';

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

export interface WorkflowAuditDeps {
  client: Client;
  config: Pick<AppConfig, 'temporal' | 'cookieSecret'>;
}

/** A run as visibility or its description tells it, before the database names what it points at. */
interface WorkflowRun {
  workflowId: string;
  runId: string;
  type: string;
  status: ExecutionStatus | 'unknown';
  startTime: string;
  closeTime: string | null;
  historyLength: number;
  businessStatus: string | null;
  orderNumber: string | null;
  manufacturerId: string | null;
  planId: string | null;
}

/**
 * Names what the runs' search attributes point at, with one query each for the
 * manufacturers and plans of the whole page, and answers how to show a run: with
 * its manufacturer and plan and its link into the Temporal UI. A manufacturer id
 * that names no row is shown as it is; an unknown plan as null.
 */
async function workflowEnricher(em: EntityManager, config: WorkflowAuditDeps['config'], runs: WorkflowRun[]) {
  const idsOf = (ids: (string | null)[]) => [...new Set(ids.filter(isUuid))];
  const manufacturerIds = idsOf(runs.map((r) => r.manufacturerId));
  const planIds = idsOf(runs.map((r) => r.planId));
  const [manufacturers, plans] = await Promise.all([
    manufacturerIds.length ? em.find(Manufacturer, { id: { $in: manufacturerIds } }) : [],
    planIds.length ? em.find(Plan, { id: { $in: planIds } }) : [],
  ]);
  const manufacturerById = new Map(manufacturers.map((m) => [m.id, m]));
  const planById = new Map(plans.map((p) => [p.id, p]));
  return ({ manufacturerId, planId, ...run }: WorkflowRun) => {
    const manufacturer = manufacturerId ? manufacturerById.get(manufacturerId) : undefined;
    const plan = planId ? planById.get(planId) : undefined;
    return {
      ...run,
      manufacturer: manufacturer
        ? { id: manufacturer.id, name: manufacturer.name }
        : manufacturerId
          ? { id: manufacturerId, name: manufacturerId }
          : null,
      plan: plan ? { id: plan.id, code: plan.code, nameZh: plan.nameZh, nameEn: plan.nameEn } : null,
      temporalUiUrl: temporalUiUrl(
        config.temporal.webUiUrl,
        config.temporal.namespace,
        run.workflowId,
        run.runId,
      ),
    };
  };
}

/** What the workflow list can be filtered by. */
export async function workflowFilters(em: EntityManager, config: Pick<AppConfig, 'temporal'>) {
  const manufacturers = await em.find(Manufacturer, {}, { orderBy: { name: 'asc' } });
  return {
    workflowTypes: WORKFLOW_TYPES,
    scheduledWorkflowTypes: SCHEDULED_WORKFLOW_TYPES,
    statuses: EXECUTION_STATUS_NAMES,
    stages: WORKFLOW_STAGES,
    manufacturers: manufacturers.map(({ id, name, status }) => ({ id, name, status })),
    temporalUiUrl: config.temporal.webUiUrl,
  };
}

export interface WorkflowListQuery extends WorkflowFilter {
  pageSize: number;
  pageToken?: string;
}

/** A page of the filtered workflows, newest first, with the total and the next page's signed token. */
export async function listWorkflows(
  em: EntityManager,
  { client, config }: WorkflowAuditDeps,
  { pageSize, pageToken, ...filter }: WorkflowListQuery,
) {
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
  const runs = (response.executions ?? []).map((e): WorkflowRun => {
    const fields = e.searchAttributes?.indexedFields ?? {};
    return {
      workflowId: e.execution?.workflowId ?? '',
      runId: e.execution?.runId ?? '',
      type: e.type?.name ?? '',
      status: statusName(e.status),
      startTime: new Date(timestampToMs(e.startTime)).toISOString(),
      closeTime: e.closeTime ? new Date(timestampToMs(e.closeTime)).toISOString() : null,
      historyLength: Number(e.historyLength ?? 0),
      businessStatus: decodeAttribute(fields[BUSINESS_STATUS.name]),
      orderNumber: decodeAttribute(fields[ORDER_NUMBER.name]),
      manufacturerId: decodeAttribute(fields[MANUFACTURER_ID.name]),
      planId: decodeAttribute(fields[PLAN_ID.name]),
    };
  });
  const next = response.nextPageToken;
  return {
    query,
    items: runs.map(await workflowEnricher(em, config, runs)),
    total: counted.count,
    nextPageToken:
      next && next.length > 0 ? signPageToken(config.cookieSecret, `${query}|${pageSize}`, next) : null,
  };
}

/** The run's description and its history, decrypted; a workflow nobody started is a 404. */
async function loadRun(client: Client, workflowId: string, runId: string | undefined) {
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

/** A run's summary as the list shows it, from its description. */
function runOf(workflowId: string, description: WorkflowExecutionDescription): WorkflowRun {
  const attributes = description.typedSearchAttributes;
  return {
    workflowId,
    runId: description.runId,
    type: description.type,
    status: statusName(description.raw.workflowExecutionInfo?.status),
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime ? description.closeTime.toISOString() : null,
    historyLength: description.historyLength,
    businessStatus: attributes.get(BUSINESS_STATUS) ?? null,
    orderNumber: attributes.get(ORDER_NUMBER) ?? null,
    manufacturerId: attributes.get(MANUFACTURER_ID) ?? null,
    planId: attributes.get(PLAN_ID) ?? null,
  };
}

/** A run's history as business steps, in words. */
async function stepsOf(
  em: EntityManager,
  client: Client,
  description: WorkflowExecutionDescription,
  history: Awaited<ReturnType<typeof loadRun>>['history'],
) {
  const converter = client.options.loadedDataConverter.payloadConverter;
  return (await workflowTimeline(em, description.type, history.events ?? [], converter)).map(stepInWords);
}

/** A run (the latest when runId is omitted) as a timeline of business steps. */
export async function workflowRunTimeline(
  em: EntityManager,
  { client, config }: WorkflowAuditDeps,
  workflowId: string,
  runId: string | undefined,
) {
  const { description, history } = await loadRun(client, workflowId, runId);
  const run = runOf(workflowId, description);
  const workflow = (await workflowEnricher(em, config, [run]))(run);
  const closeTime = description.closeTime ?? null;
  return {
    workflow: {
      ...workflow,
      taskQueue: description.taskQueue,
      durationMs: closeTime ? closeTime.getTime() - description.startTime.getTime() : null,
    },
    steps: await stepsOf(em, client, description, history),
    rawHistoryUrl: `/api/v1/audit/workflows/${encodeURIComponent(workflowId)}/history?runId=${description.runId}`,
  };
}

/**
 * The business timeline of one of a manufacturer's own workflows (its latest run), for its staff: no raw
 * history and no way into the Temporal UI, which shows every tenant. Another manufacturer's workflow is a
 * 404, as if it did not exist.
 */
export async function manufacturerWorkflowTimeline(
  em: EntityManager,
  client: Client,
  manufacturerId: string,
  workflowId: string,
) {
  const { description, history } = await loadRun(client, workflowId, undefined);
  const { type, status, businessStatus, startTime, closeTime, orderNumber, ...run } = runOf(
    workflowId,
    description,
  );
  if (run.manufacturerId !== manufacturerId) throw notFound('workflow');
  return {
    workflow: { workflowId, type, status, businessStatus, startTime, closeTime, orderNumber },
    steps: await stepsOf(em, client, description, history),
  };
}

/** A run's raw history in the JSON `temporal workflow show --output json` writes, decrypted. */
export async function workflowHistoryJson(client: Client, workflowId: string, runId: string | undefined) {
  const { description, history } = await loadRun(client, workflowId, runId);
  return { runId: description.runId, json: historyToJSON(history) };
}
