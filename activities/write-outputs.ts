import { log } from '@temporalio/activity';
import { flowModelOutputSchema, type ClusterSummary } from '../core/formats.js';
import { badInput, failureTypes } from '../core/failures.js';
import { runKeys } from '../core/keys.js';
import type {
  ClusterRecord,
  EnrichAlertInput,
  EventRecord,
  FlowRecord,
} from '../core/output-formats.js';
import { getJson, putJson } from '../core/store/index.js';
import type { ActivityDeps } from './deps.js';
import type { ClusteredAlert } from './process-cluster.js';

export interface WriteOutputsArgs {
  run: string;
  flowOutputKey: string;
}

export interface WrittenOutputs {
  flows: number;
  events: number;
  eventKey: string;
  clusterKey: string;
  flowKey: string;
  enrichAlertInputKey: string;
}

const parallelWrites = 32;

export const clusterLabel = (n: number): string => `c${n}`;
export const flowLabel = (n: number): string => `f${n}`;

/**
 * After the flow model: keeps its answer as `flow_output.json`, writes the user-facing
 * `event.json`, `cluster.json` and `flow.json`, and builds `enrich_alert_input.json` for the
 * ticketing steps.
 */
export function makeWriteOutputs({ store }: ActivityDeps) {
  return async function writeOutputs(args: WriteOutputsArgs): Promise<WrittenOutputs> {
    const keys = runKeys(args.run);
    const parsed = flowModelOutputSchema.safeParse(await getJson(store, args.flowOutputKey));
    if (!parsed.success) {
      throw badInput(
        failureTypes.invalidModelOutput,
        `${args.flowOutputKey}: ${parsed.error.issues[0]?.message}`,
      );
    }
    await putJson(store, keys.flowOutput, parsed.data);
    const alerts = await getJson<ClusteredAlert[]>(store, keys.aggAlert);
    const summaries = await getJson<ClusterSummary[]>(store, keys.cluster);

    const flowOf = new Map<number, number>();
    for (const flow of parsed.data.flows) for (const c of flow.clusters) flowOf.set(c, flow.id);
    const missing = summaries.filter((s) => !flowOf.has(s.id));
    if (missing.length > 0) {
      throw badInput(
        failureTypes.invalidModelOutput,
        `${args.flowOutputKey}: clusters ${missing
          .slice(0, 5)
          .map((s) => s.id)
          .join(', ')} are in no flow`,
      );
    }

    const members = new Map<number, ClusteredAlert[]>();
    for (const a of alerts) {
      const list = members.get(a.cluster);
      if (list) list.push(a);
      else members.set(a.cluster, [a]);
    }
    const events: EventRecord[] = alerts.map((a) => ({
      id: a.id,
      time: a.time,
      src: a.src,
      dst: a.dst,
      name: a.name,
      cluster: clusterLabel(a.cluster),
      flow: flowLabel(flowOf.get(a.cluster)!),
      techniques: a.tech,
      tactics: a.tactics,
      other_attributes_dict: a.attrs,
    }));
    const clusters: ClusterRecord[] = summaries.map((s) => ({
      id: clusterLabel(s.id),
      alert_ids: (members.get(s.id) ?? []).map((a) => a.id),
      start: s.start,
      end: s.end,
      size: s.size,
      entities: s.entities,
      techniques: s.techniques,
      tactics: s.tactics,
    }));
    const flows: FlowRecord[] = parsed.data.flows.map((f) => ({
      id: flowLabel(f.id),
      cluster_ids: f.clusters.map(clusterLabel),
      edges: f.edges.map((e) => ({
        from: clusterLabel(e.from),
        to: clusterLabel(e.to),
        score: e.score,
      })),
    }));

    const enrich: EnrichAlertInput = { run: args.run, outputPrefix: keys.output, clusters: [] };
    const pending: Promise<void>[] = [];
    for (const record of clusters) {
      const id = Number(record.id.slice(1));
      const own = members.get(id) ?? [];
      const alertsKey = keys.clusterAlerts(record.id);
      // One small object per cluster: written a few dozen at a time, not one after another.
      pending.push(putJson(store, alertsKey, own));
      if (pending.length >= parallelWrites) await Promise.all(pending.splice(0));
      enrich.clusters.push({
        cluster: record,
        flow: flowLabel(flowOf.get(id)!),
        priorities: own.flatMap((a) =>
          typeof a.attrs.priority === 'number' ? [a.attrs.priority] : [],
        ),
        urls: [
          ...new Set(own.flatMap((a) => (typeof a.attrs.url === 'string' ? [a.attrs.url] : []))),
        ],
        alertsKey,
      });
    }
    await Promise.all(pending);
    await putJson(store, keys.eventOut, { run: args.run, events });
    await putJson(store, keys.clusterOut, { run: args.run, clusters });
    await putJson(store, keys.flowOut, { run: args.run, flows });
    await putJson(store, keys.enrichAlertInput, enrich);
    log.info('outputs written', {
      run: args.run,
      events: events.length,
      clusters: clusters.length,
      flows: flows.length,
      output: keys.output,
    });
    return {
      flows: flows.length,
      events: events.length,
      eventKey: keys.eventOut,
      clusterKey: keys.clusterOut,
      flowKey: keys.flowOut,
      enrichAlertInputKey: keys.enrichAlertInput,
    };
  };
}
