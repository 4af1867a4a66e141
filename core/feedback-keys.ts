import { prefixes } from './keys.js';

/**
 * Keys of the feedback loop under `scratch/feedback/` (DESIGN.md section 4). The weights the
 * clusterer reads are `feedbackWeightsKey` in core/keys.ts.
 */
export const feedbackRecordKey = (id: string): string => `${prefixes.feedback}records/${id}.json`;
export const eventOverridesKey = (run: string): string => `${prefixes.feedback}events/${run}.json`;

/** What the ticketing steps read for the campaigns one request changed. */
export const feedbackTicketInputKey = (id: string, run: string): string =>
  `${prefixes.feedback}tickets/${id}/${run}/enrich_alert_input.json`;
export const feedbackClusterAlertsKey = (id: string, run: string, cluster: string): string =>
  `${prefixes.feedback}tickets/${id}/${run}/cluster_alerts/${cluster}.json`;

/** Request ids come from the UI: safe in object keys and workflow ids. */
export const feedbackIdPattern = /^[A-Za-z0-9-]{8,64}$/;
