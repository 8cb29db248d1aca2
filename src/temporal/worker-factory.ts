import { fileURLToPath } from 'node:url';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities/index.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** The worker with every workflow and activity; used by src/worker.ts and the workflow tests. */
export function createYanbaoWorker(
  connection: NativeConnection,
  options: { namespace: string; taskQueue: string; deps: ActivityDeps } & Partial<WorkerOptions>,
): Promise<Worker> {
  const { deps, ...rest } = options;
  return Worker.create({
    connection,
    // A prebuilt bundle (tests build one for all files) replaces bundling on start.
    ...(rest.workflowBundle ? {} : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps),
    ...rest,
  });
}
