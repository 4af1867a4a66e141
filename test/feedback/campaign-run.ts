import type { ActivityDeps } from '../../activities/deps.js';
import { listCampaigns, type Campaign } from '../../activities/tickets/index.js';
import type { FeedbackRecord } from '../../core/feedback-formats.js';
import { feedbackRecordKey } from '../../core/feedback-keys.js';
import { putJson } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';

/** Runs one input to the end (a worker must be polling) and returns its campaigns by cluster. */
export async function runToCampaigns(
  deps: ActivityDeps,
  client: Parameters<typeof startIngest>[0],
  key: string,
  body: unknown,
): Promise<{ run: string; byCluster: Map<string, Campaign> }> {
  await putJson(deps.store, key, body);
  const started = await startIngest(client, deps.store, deps.config, key);
  const result = await started.handle.result();
  const campaigns = await listCampaigns(deps.store, { run: result.run });
  return { run: result.run, byCluster: new Map(campaigns.map((c) => [c.cluster, c])) };
}

/** Waits until the FeedbackWorkflow stored the record of a request. */
export async function waitForRecord(
  deps: ActivityDeps,
  id: string,
  limitMs = 60_000,
): Promise<FeedbackRecord> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const body = await deps.store.getIfExists(feedbackRecordKey(id));
    if (body) return JSON.parse(body.toString('utf8')) as FeedbackRecord;
    if (Date.now() > deadline) throw new Error(`no feedback record for ${id}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
