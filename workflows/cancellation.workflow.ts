// PLACEHOLDER — a helper replaces this file.
export async function CancellationWorkflow(_input: unknown): Promise<void> {}
