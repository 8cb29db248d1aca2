import { writeFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '../../src/temporal/history-json.ts';
import { decodeFetchedHistory } from '../../src/temporal/payload-codec.ts';

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history as a fixture
 * that test/workflows/replay.test.ts replays against the current code.
 */
export async function recordHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  // Fixtures are kept decrypted: replay reads them without the codec's keys.
  const history = await decodeFetchedHistory(
    client,
    await client.workflow.getHandle(workflowId).fetchHistory(),
  );
  writeFileSync(`test/fixtures/${name}.history.json`, historyToJSON(history));
}
