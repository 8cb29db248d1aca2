// PLACEHOLDER — a helper replaces this file.
export async function StatsRollupWorkflow(_input: unknown): Promise<void> {}
