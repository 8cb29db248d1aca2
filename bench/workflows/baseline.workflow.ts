/**
 * The purchase benchmark's baseline: an empty workflow that runs `count` no-op
 * activities one after another, with the same activity options as
 * PurchaseWorkflow. Bundled only by the benchmark's second worker (its own
 * task queue); never part of the production workflows/index.ts.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BaselineActivities } from '../baseline.activities.ts';

const { noop } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function BaselineWorkflow(count: number): Promise<number> {
  for (let step = 0; step < count; step++) await noop(step);
  return count;
}
