import { writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history as a fixture
 * that test/workflows/replay.test.ts replays against the current code.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  writeFileSync(`test/fixtures/${name}.history.json`, historyToJSON(history));
}
