/** The baseline's activity: does nothing, so only Temporal's and the worker's own cost remains. */
export const baselineActivities = {
  async noop(step: number): Promise<number> {
    return step;
  },
};

export type BaselineActivities = typeof baselineActivities;
