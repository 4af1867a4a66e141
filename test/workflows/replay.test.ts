import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundlePipelineWorkflows } from '../../workers/bundle.js';
import { installRuntime } from '../../workers/runtime.js';
import { testLogger } from '../helpers/temporal.js';

/**
 * Histories recorded from real runs: RECORD_HISTORIES=1 with the tests that call saveHistory
 * (test/helpers/histories.ts) writes them.
 * Replaying them against today's workflow code catches a change that would break runs in flight.
 */
const historiesDir = path.resolve(import.meta.dirname, '../histories');
const files = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
interface SavedHistory {
  workflowId: string;
  history: { events: Record<string, unknown>[] };
}
const load = (file: string): SavedHistory =>
  JSON.parse(readFileSync(path.join(historiesDir, file), 'utf8')) as SavedHistory;

let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  installRuntime(testLogger);
  bundle = await bundlePipelineWorkflows();
});

describe('saved workflow histories', () => {
  it('has histories to replay', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'ingest-two-campaigns.json',
        'ingest-continue-as-new.json',
        'flow-two-campaigns.json',
        'feedback-continue-as-new.json',
        'feedback-legacy-signals.json',
        'jira-pages-continue-as-new.json',
        'campaign-pages.json',
      ]),
    );
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const saved = load(file);
    await Worker.runReplayHistory(
      { workflowBundle: bundle, replayName: file },
      historyFromJSON(saved.history),
      saved.workflowId,
    );
  });

  it('reports a determinism violation when the code no longer matches the history', async () => {
    const saved = load('ingest-two-campaigns.json');
    const scheduled = saved.history.events.find((e) => e.activityTaskScheduledEventAttributes) as {
      activityTaskScheduledEventAttributes: { activityType: { name: string } };
    };
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'someRemovedActivity';
    const replay = Worker.runReplayHistory(
      { workflowBundle: bundle },
      historyFromJSON(saved.history),
      saved.workflowId,
    );
    await expect(replay).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
