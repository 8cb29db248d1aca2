// PLACEHOLDER — a helper replaces this file.
export async function ClaimWorkflow(_input: unknown): Promise<void> {}
