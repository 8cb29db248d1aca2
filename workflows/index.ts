/** Every workflow the worker runs (the bundle entry point). */
export { PlanCreationWorkflow } from './plan-creation.workflow.ts';
export { PurchaseWorkflow } from './purchase.workflow.ts';
export { UnitQrBatchWorkflow } from './unit-qr-batch.workflow.ts';
