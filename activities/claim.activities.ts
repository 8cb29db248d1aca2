// PLACEHOLDER — a helper replaces this file.
import type { ActivityDeps } from './index.ts';

export function createClaimActivities(_deps: ActivityDeps) {
  return {};
}
