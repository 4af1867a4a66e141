import { createHash } from 'node:crypto';
import type { EnrichAlertInput } from '../../core/output-formats.js';

export type TicketCluster = EnrichAlertInput['clusters'][number];

/** What a JIRA issue, an Elastic case and a campaign say about one cluster. */
export interface TicketContent {
  cluster: string;
  summary: string;
  description: string;
  priorities: { count: number; mean: number | null; median: number | null };
}

/** Where the run's files live, for people: a path on disk or an s3:// URL per file. */
export interface TicketLocations {
  eventFile: string;
  clusterFile: string;
  flowFile: string;
  clusterAlerts: string;
}

/** JIRA rejects a description above 32,767 characters; keep a margin for the ADF wrapping. */
export const jiraDescriptionLimit = 32_000;
/** Kibana's Cases API refuses a description above 30,000 characters. */
export const caseDescriptionLimit = 30_000;
const summaryLimit = 250;

export function priorityStats(values: number[]): TicketContent['priorities'] {
  if (values.length === 0) return { count: 0, mean: null, median: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = sorted.reduce((n, v) => n + v, 0) / sorted.length;
  return { count: sorted.length, mean: round(mean), median: round(median) };
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();
const list = (values: string[]): string => (values.length ? values.join(', ') : '(none)');

/** Whether a cluster is big and varied enough to be shown as a campaign. */
export function meetsThresholds(
  entry: TicketCluster,
  thresholds: { eventThreshold: number; tacticThreshold: number },
): boolean {
  return (
    entry.cluster.size >= thresholds.eventThreshold &&
    entry.cluster.tactics.length >= thresholds.tacticThreshold
  );
}

/**
 * The ticket text for one cluster. Deterministic for the same input, so a retried activity sends
 * JIRA and Kibana the same words it sent the first time.
 */
export function buildTicketContent(
  input: EnrichAlertInput,
  entry: TicketCluster,
  where: TicketLocations,
): TicketContent {
  const { cluster } = entry;
  const priorities = priorityStats(entry.priorities);
  const inFlow = input.clusters.filter((c) => c.flow === entry.flow).map((c) => c.cluster.id);
  const minutes = Math.round((cluster.end - cluster.start) / 60);
  const head = `${cluster.size} alerts, ${cluster.tactics.length} tactics`;
  const summary =
    `Attack campaign ${cluster.id} of ${input.run}: ${head}, ` +
    `${cluster.entities.slice(0, 3).join(', ')}`;
  const lines = [
    `Attack campaign ${cluster.id} of run ${input.run}, part of flow ${entry.flow}.`,
    '',
    `Timeframe: ${iso(cluster.start)} to ${iso(cluster.end)} (${minutes} minutes)`,
    `Clusters in the same flow: ${list(inFlow)}`,
    `Techniques: ${list(cluster.techniques)}`,
    `Tactics: ${list(cluster.tactics)}`,
    `Entities (sources and destinations): ${list(cluster.entities)}`,
    priorities.count
      ? `Priorities: ${priorities.count} values, mean ${priorities.mean}, ` +
        `median ${priorities.median}`
      : 'Priorities: none given',
    `URLs: ${list(entry.urls)}`,
    '',
    'Full JSON:',
    `  events: ${where.eventFile}`,
    `  clusters: ${where.clusterFile}`,
    `  flows: ${where.flowFile}`,
    `  alerts of this cluster: ${where.clusterAlerts}`,
    '',
    `Alert ids (${cluster.alert_ids.length}): ${list(cluster.alert_ids)}`,
  ];
  return {
    cluster: cluster.id,
    summary: summary.length > summaryLimit ? `${summary.slice(0, summaryLimit - 3)}...` : summary,
    description: lines.join('\n'),
    priorities,
  };
}

/**
 * The text to put in a description field that holds at most `limit` characters: the content
 * itself, or its head and a pointer to the attached file that carries all of it.
 */
export function fitDescription(
  content: TicketContent,
  limit: number,
  fileName: string,
): { text: string; attachWhole: boolean } {
  if (content.description.length <= limit) return { text: content.description, attachWhole: false };
  const note = `\n\n[Description too long for this field: the whole text is in ${fileName}]`;
  const head = content.description.slice(0, limit - note.length - 200);
  return { text: `${head.slice(0, head.lastIndexOf('\n'))}${note}`, attachWhole: true };
}

/**
 * A label (JIRA) or tag (Kibana) that only the ticket made for this run, cluster and generation
 * carries: found again by search, it tells a retry that the creation already happened.
 * `generation` counts replacements of a closed ticket, so each replacement has its own mark.
 */
export function ticketMark(run: string, cluster: string, generation: number): string {
  const digest = createHash('sha256').update(`${run}\n${cluster}\n${generation}`).digest('hex');
  return `alertpipe-${digest.slice(0, 20)}`;
}
