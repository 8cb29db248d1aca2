/**
 * The P2 baseline's worker as a process of its own, so the baseline runs with as
 * many worker processes as the purchases do (bench/purchase-throughput.ts
 * --workers). BaselineWorkflow and its no-op activity only; the Temporal
 * address, namespace and task queue come from the environment, the WORKER_*
 * options from the same workerOptionsFromEnv as src/worker.ts.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config.ts';
import { workerOptionsFromEnv } from '../src/temporal/worker-factory.ts';
import { baselineActivities } from './baseline.activities.ts';

const config = loadConfig();
const options = workerOptionsFromEnv();
const connection = await NativeConnection.connect({ address: config.temporal.address });
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  ...(options.workflowBundle
    ? {}
    : { workflowsPath: new URL('./workflows/baseline.workflow.ts', import.meta.url).pathname }),
  activities: baselineActivities,
  ...options,
});
console.log(`baseline worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}`);
try {
  await worker.run();
} finally {
  await connection.close();
}
