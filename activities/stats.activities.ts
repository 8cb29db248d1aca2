// PLACEHOLDER — a helper replaces this file.
import type { ActivityDeps } from './index.ts';

export function createStatsActivities(_deps: ActivityDeps) {
  return {};
}
