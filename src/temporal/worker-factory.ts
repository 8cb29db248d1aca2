import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities/index.ts';
import type { Tracing } from '../observability/tracing.ts';
import { orderLogAttributes } from '../observability/worker-runtime.ts';
import { yanbaoDataConverter } from './payload-codec.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** The worker with every workflow and activity; used by src/worker.ts and the workflow tests. */
export function createYanbaoWorker(
  connection: NativeConnection,
  options: {
    namespace: string;
    taskQueue: string;
    deps: ActivityDeps;
    tracing?: Tracing | null;
  } & Partial<WorkerOptions>,
): Promise<Worker> {
  const { deps, tracing, interceptors, sinks, ...rest } = options;
  const traced = tracing?.workerOptions();
  return Worker.create({
    connection,
    // A prebuilt bundle (tests build one for all files) replaces bundling on start.
    ...(rest.workflowBundle ? {} : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps),
    // Personal data in arguments and results reaches the Temporal server encrypted only.
    dataConverter: yanbaoDataConverter(deps.config.payloadKeys),
    ...rest,
    sinks: { ...sinks, ...traced?.sinks },
    interceptors: {
      ...interceptors,
      workflowModules: [
        ...(traced?.interceptors?.workflowModules ?? []),
        ...(interceptors?.workflowModules ?? []),
      ],
      activity: [
        orderLogAttributes,
        ...(traced?.interceptors?.activity ?? []),
        ...(interceptors?.activity ?? []),
      ],
    },
  });
}

function positiveInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/**
 * Worker options a deployment (or the benchmark) may set per process; unset ones keep the SDK's
 * defaults. WORKER_WORKFLOW_BUNDLE names a bundle built beforehand (bundleWorkflowCode), so a
 * restarted or added worker process polls within a second instead of bundling for several.
 */
export function workerOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<WorkerOptions> {
  const options: Partial<WorkerOptions> = {};
  const activities = positiveInt(env, 'WORKER_MAX_CONCURRENT_ACTIVITIES');
  const workflowTasks = positiveInt(env, 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS');
  const cached = positiveInt(env, 'WORKER_MAX_CACHED_WORKFLOWS');
  if (activities !== undefined) options.maxConcurrentActivityTaskExecutions = activities;
  if (workflowTasks !== undefined) options.maxConcurrentWorkflowTaskExecutions = workflowTasks;
  if (cached !== undefined) options.maxCachedWorkflows = cached;
  if (env.WORKER_WORKFLOW_BUNDLE) options.workflowBundle = { codePath: env.WORKER_WORKFLOW_BUNDLE };
  return options;
}
