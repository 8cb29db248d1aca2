import { createPlanCreationActivities, type PlanCreationDeps } from './plan-creation.activities.ts';

export type ActivityDeps = PlanCreationDeps;

/** Every activity the worker registers, built from explicitly injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlanCreationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
