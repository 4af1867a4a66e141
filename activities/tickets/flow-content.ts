import type { EnrichAlertInput, FlowRecord } from '../../core/output-formats.js';
import {
  clipSummary,
  factLines,
  list,
  locationLines,
  priorityStats,
  type TicketCluster,
  type TicketContent,
  type TicketLocations,
} from './content.js';

/** Each value once, in the order first seen, so the text is the same on every attempt. */
const union = (lists: string[][]): string[] => [...new Set(lists.flat())];

/**
 * The ticket text for one flow: the sections of a cluster ticket taken over all of the flow's
 * clusters, plus the flow's edges in the order flow.json gives them (by the source cluster's
 * start), since the order is what tells the people reading it how the attack went on.
 */
export function buildFlowContent(
  input: EnrichAlertInput,
  flow: FlowRecord,
  entries: TicketCluster[],
  where: TicketLocations,
): TicketContent {
  const clusters = entries.map((e) => e.cluster);
  const priorities = priorityStats(entries.flatMap((e) => e.priorities));
  const alertIds = clusters.flatMap((c) => c.alert_ids);
  const tactics = union(clusters.map((c) => c.tactics));
  const entities = union(clusters.map((c) => c.entities));
  const head = `${clusters.length} clusters, ${alertIds.length} alerts, ${tactics.length} tactics`;
  const firstEntities = entities.slice(0, 3).join(', ');
  const summary = `Attack flow ${flow.id} of ${input.run}: ${head}, ${firstEntities}`;
  const facts = {
    start: Math.min(...clusters.map((c) => c.start)),
    end: Math.max(...clusters.map((c) => c.end)),
    techniques: union(clusters.map((c) => c.techniques)),
    tactics,
    entities,
    priorities,
    urls: union(entries.map((e) => e.urls)),
  };
  const lines = [
    `Attack flow ${flow.id} of run ${input.run}: ${clusters.length} clusters linked by ` +
      `${flow.edges.length} edges.`,
    '',
    ...factLines(facts, `Clusters in this flow: ${list(clusters.map((c) => c.id))}`),
    '',
    'Edges between clusters, in order:',
    ...(flow.edges.length
      ? flow.edges.map((e) => `  ${e.from} -> ${e.to} (score ${e.score})`)
      : ['  (none)']),
    ...locationLines(where, alertIds, 'flow'),
  ];
  return {
    subject: `flow-${flow.id}`,
    summary: clipSummary(summary),
    description: lines.join('\n'),
    priorities,
  };
}
