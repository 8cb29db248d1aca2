// PLACEHOLDER — a helper replaces this file.
import type { ActivityDeps } from './index.ts';

export function createCancellationActivities(_deps: ActivityDeps) {
  return {};
}
