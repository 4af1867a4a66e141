import { feedbackClusterAlertsKey, feedbackTicketInputKey } from '../../core/feedback-keys.js';
import type { EnrichAlertInput, EventRecord } from '../../core/output-formats.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';
import type { Campaign } from '../tickets/campaign-store.js';
import { clusterOfEvents } from './run-events.js';

/** The campaigns of one run a request changed, as the ticketing steps take them. */
export interface FeedbackTicketInput {
  run: string;
  enrichAlertInputKey: string;
  clusters: string[];
  /** Campaign id -> its size afterwards. */
  sizes: Record<string, number>;
}

/**
 * Writes `enrich_alert_input.json` for the changed campaigns of one run, with each campaign's
 * events as they are now, so that the campaign, JIRA and case steps rewrite exactly those
 * clusters (their lookups are per run and cluster, so the same issues and cases follow).
 */
export async function writeFeedbackTicketInput(
  store: ObjectStore,
  feedbackId: string,
  changed: { campaign: Campaign; events: EventRecord[] }[],
): Promise<FeedbackTicketInput | undefined> {
  const first = changed[0];
  if (!first) return undefined;
  const run = first.campaign.run;
  const input: EnrichAlertInput = { run, outputPrefix: first.campaign.outputPrefix, clusters: [] };
  const sizes: Record<string, number> = {};
  for (const { campaign, events } of changed) {
    const alertsKey = feedbackClusterAlertsKey(feedbackId, run, campaign.cluster);
    await putJson(store, alertsKey, events);
    const attrs = events.map((e) => e.other_attributes_dict);
    input.clusters.push({
      cluster: clusterOfEvents(campaign.cluster, events),
      flow: campaign.flow,
      priorities: attrs.flatMap((a) => (typeof a.priority === 'number' ? [a.priority] : [])),
      urls: [...new Set(attrs.flatMap((a) => (typeof a.url === 'string' ? [a.url] : [])))],
      alertsKey,
    });
    sizes[campaign.id] = events.length;
  }
  const enrichAlertInputKey = feedbackTicketInputKey(feedbackId, run);
  await putJson(store, enrichAlertInputKey, input);
  return { run, enrichAlertInputKey, clusters: input.clusters.map((c) => c.cluster.id), sizes };
}
