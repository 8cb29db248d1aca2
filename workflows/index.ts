/** Every workflow the worker runs (the bundle entry point). */

export { CancellationWorkflow } from './cancellation.workflow.ts';
export { ClaimWorkflow } from './claim.workflow.ts';
export { PlanCreationWorkflow } from './plan-creation.workflow.ts';
export { PurchaseWorkflow } from './purchase.workflow.ts';
export { StatsRollupWorkflow } from './stats-rollup.workflow.ts';
export { UnitQrBatchWorkflow } from './unit-qr-batch.workflow.ts';
