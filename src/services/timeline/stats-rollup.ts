/** StatsRollupWorkflow in auditors' words: which days were recomputed and how many rows changed. */
import type { StatsActivities } from '../../../activities/stats.activities.ts';
import type { ActivityDescriber, WorkflowDescriber } from './engine.ts';
import { message, record, text } from './words.ts';

const activities = {
  rollUpOrderStats: {
    doing: () => message('statsRollup.rollUpOrderStats.doing'),
    done: (_args, result) => {
      const out = record(result);
      return message('statsRollup.rollUpOrderStats.done', {
        from: text(out.from),
        to: text(out.to),
        changedRows: text(out.changedRows),
      });
    },
  },
} satisfies Record<keyof StatsActivities, ActivityDescriber>;

export const statsRollupTimeline: WorkflowDescriber = {
  started: (input) =>
    input.rebuild ? message('statsRollup.startedRebuild') : message('statsRollup.started'),
  activities,
  updates: {},
  signals: {},
  stages: [],
};
