/** Every workflow the worker runs (the bundle entry point). */
export { PlanCreationWorkflow } from './plan-creation.workflow.ts';
