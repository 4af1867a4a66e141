import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/** Whether this test run refreshes the saved histories (RECORD_HISTORIES=1). */
export const recordingHistories = Boolean(process.env.RECORD_HISTORIES);

/**
 * Saves a real run's history under test/histories/, where test/workflows/replay.test.ts replays
 * it against the current workflow code. Only with RECORD_HISTORIES=1: a saved history stands for
 * runs in flight and is refreshed on purpose, never by an ordinary test run.
 */
export function saveHistory(name: string, workflowId: string, history: unknown): void {
  if (!recordingHistories) return;
  const file = path.resolve(import.meta.dirname, '../histories', `${name}.json`);
  const saved = { workflowId, history: JSON.parse(historyToJSON(history as never)) as unknown };
  writeFileSync(file, `${JSON.stringify(saved)}\n`);
}
