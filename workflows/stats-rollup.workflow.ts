/**
 * StatsRollupWorkflow — keeps order_stats_daily, the dashboard's daily
 * roll-up, current. A Temporal Schedule (`stats-rollup`, every
 * STATS_ROLLUP_EVERY, one run at a time) starts it with the recent-days
 * input; an operator starts it with `rebuild` for a backfill.
 *
 * Each run recomputes a window of days from the source tables in one
 * set-based statement (activities/stats.activities.ts), so running it twice
 * changes nothing. The window is the last `recentDays` days up to today
 * (China time), stretched back to the last day the previous successful run
 * covered (the schedule hands each run its predecessor's result), so a run
 * after an outage catches up with everything that happened meanwhile. The
 * schedule's very first run has no predecessor and rebuilds everything.
 */
import { ApplicationFailure, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { StatsActivities } from '../activities/stats.activities.ts';
import { addDays, chinaDate, compareDates, isCalendarDate, minDate } from '../src/domain/coverage.ts';

export interface StatsRollupInput {
  /** Days up to today to recompute (1–366); the schedule passes STATS_ROLLUP_DAYS. Default 3. */
  recentDays?: number;
  /** A backfill instead: recompute from `from` (null or absent: the first event on record) through `to` (default today). */
  rebuild?: { from?: string | null; to?: string };
  /** Rebuild everything when there is no previous run to continue from (the schedule's first run). */
  rebuildOnFirstRun?: boolean;
}

export interface StatsRollupResult {
  /** First and last day recomputed (China time). */
  from: string;
  to: string;
  rebuilt: boolean;
  /** Roll-up rows inserted or changed. */
  changedRows: number;
  ms: number;
}

export const STATS_ROLLUP_ERRORS = { invalidInput: 'InvalidStatsRollup' } as const;

const DEFAULT_RECENT_DAYS = 3;

// One statement over the whole history can take a while on a large database; a failed run is
// retried a few times, then the schedule's next run starts over (it continues from the last success).
const { rollUpOrderStats } = proxyActivities<StatsActivities>({
  startToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 5,
  },
});

const invalid = (message: string) =>
  ApplicationFailure.create({ type: STATS_ROLLUP_ERRORS.invalidInput, message, nonRetryable: true });

/** The days a run recomputes: pure, so tests can check it without a server. */
export function rollupWindow(
  input: StatsRollupInput,
  today: string,
  previous: Pick<StatsRollupResult, 'to'> | undefined,
): { from: string | null; to: string; rebuild: boolean } {
  if (input.rebuild) {
    const to = input.rebuild.to ?? today;
    const from = input.rebuild.from ?? null;
    if (!isCalendarDate(to)) throw invalid('rebuild.to must be a date YYYY-MM-DD');
    if (from !== null && !isCalendarDate(from)) throw invalid('rebuild.from must be a date YYYY-MM-DD');
    if (from !== null && compareDates(from, to) > 0)
      throw invalid('rebuild.from must not be after rebuild.to');
    return { from, to, rebuild: true };
  }
  const days = input.recentDays ?? DEFAULT_RECENT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw invalid('recentDays must be a whole number from 1 to 366');
  if (!previous && input.rebuildOnFirstRun) return { from: null, to: today, rebuild: true };
  let from = addDays(today, -(days - 1));
  // Catch up from the last day the previous successful run covered.
  if (previous && isCalendarDate(previous.to)) from = minDate(from, previous.to);
  return { from, to: today, rebuild: false };
}

export async function StatsRollupWorkflow(input: StatsRollupInput = {}): Promise<StatsRollupResult> {
  // Workflow time is the time of the workflow task, recorded in history: deterministic on replay.
  const today = chinaDate(new Date());
  const previous = workflowInfo().lastResult as StatsRollupResult | undefined;
  const window = rollupWindow(input, today, previous ?? undefined);
  const outcome = await rollUpOrderStats({ from: window.from, to: window.to });
  log.info('order statistics rolled up', { ...outcome, rebuilt: window.rebuild });
  return { ...outcome, rebuilt: window.rebuild };
}
