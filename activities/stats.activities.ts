/**
 * Activities of StatsRollupWorkflow: recompute a window of days of the
 * order_stats_daily roll-up from the source tables. Idempotent by
 * construction — every row of the window is computed from scratch and
 * upserted, so a retried or repeated run leaves the same numbers.
 */
import {
  paidWithinMs,
  type RollupOutcome,
  type RollupWindow,
  rollUpOrderStats as rollUpFromSources,
} from '../src/services/statistics.ts';
import type { ActivityDeps } from './index.ts';

export function createStatsActivities({ orm, config }: Pick<ActivityDeps, 'orm' | 'config'>) {
  /** Recomputes the daily roll-up for a window of days from the source tables (idempotent). */
  const rollUpOrderStats = (window: RollupWindow): Promise<RollupOutcome> =>
    rollUpFromSources(orm.em.fork(), { ...window, paidWithinMs: paidWithinMs(config) });
  return { rollUpOrderStats };
}

export type StatsActivities = ReturnType<typeof createStatsActivities>;
