import { createHash } from 'node:crypto';
import type { EnrichAlertInput } from '../../core/output-formats.js';

export type TicketCluster = EnrichAlertInput['clusters'][number];

/** What a JIRA issue, an Elastic case and a campaign say about one cluster. */
export interface TicketContent {
  /** The cluster's id, or `flow-<id>` for a flow's ticket. */
  subject: string;
  summary: string;
  description: string;
  priorities: { count: number; mean: number | null; median: number | null };
}

/** Where the run's files live, for people: a path on disk or an s3:// URL per file. */
export interface TicketLocations {
  eventFile: string;
  clusterFile: string;
  flowFile: string;
  /** The cluster's alert file; for a flow, its clusters' files, comma-separated. */
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
export const list = (values: string[]): string => (values.length ? values.join(', ') : '(none)');

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

/** What a ticket's subject (a cluster, or a flow's clusters together) shows in every ticket. */
export interface TicketFacts {
  start: number;
  end: number;
  techniques: string[];
  tactics: string[];
  entities: string[];
  priorities: TicketContent['priorities'];
  urls: string[];
}

/** The sections a cluster ticket and a flow ticket share, in the same words. */
export function factLines(facts: TicketFacts, clustersLine: string): string[] {
  const { priorities } = facts;
  const minutes = Math.round((facts.end - facts.start) / 60);
  return [
    `Timeframe: ${iso(facts.start)} to ${iso(facts.end)} (${minutes} minutes)`,
    clustersLine,
    `Techniques: ${list(facts.techniques)}`,
    `Tactics: ${list(facts.tactics)}`,
    `Entities (sources and destinations): ${list(facts.entities)}`,
    priorities.count
      ? `Priorities: ${priorities.count} values, mean ${priorities.mean}, ` +
        `median ${priorities.median}`
      : 'Priorities: none given',
    `URLs: ${list(facts.urls)}`,
  ];
}

/** Where the run's files are, as the last sections of a ticket's description. */
export function locationLines(
  where: TicketLocations,
  alertIds: string[],
  of: 'cluster' | 'flow',
): string[] {
  return [
    '',
    'Full JSON:',
    `  events: ${where.eventFile}`,
    `  clusters: ${where.clusterFile}`,
    `  flows: ${where.flowFile}`,
    `  alerts of this ${of}: ${where.clusterAlerts}`,
    '',
    `Alert ids (${alertIds.length}): ${list(alertIds)}`,
  ];
}

export const clipSummary = (summary: string): string =>
  summary.length > summaryLimit ? `${summary.slice(0, summaryLimit - 3)}...` : summary;

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
  const head = `${cluster.size} alerts, ${cluster.tactics.length} tactics`;
  const summary =
    `Attack campaign ${cluster.id} of ${input.run}: ${head}, ` +
    `${cluster.entities.slice(0, 3).join(', ')}`;
  const lines = [
    `Attack campaign ${cluster.id} of run ${input.run}, part of flow ${entry.flow}.`,
    '',
    ...factLines(
      { ...cluster, priorities, urls: entry.urls },
      `Clusters in the same flow: ${list(inFlow)}`,
    ),
    ...locationLines(where, cluster.alert_ids, 'cluster'),
  ];
  return {
    subject: cluster.id,
    summary: clipSummary(summary),
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
