import { heartbeat, log } from '@temporalio/activity';
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
import { ClusterMembers, type ClusterMemberFacts } from './cluster-members.js';
import { JsonListFile, putJsonDocument } from './json-pieces.js';
import { readJsonList } from './read-json-list.js';
import type { ClusteredAlert } from './process-cluster.js';

/** Which clusters' alerts files a ticketing step can read (see `alertFileWanted`). */
export interface AlertFileRule {
  eventThreshold: number;
  tacticThreshold: number;
  /** Flow tickets attach the alerts of every cluster of a flow of two or more. */
  perFlow: boolean;
}

export interface WriteOutputsArgs {
  run: string;
  flowOutputKey: string;
  /** Absent (runs started before it, runs without ticket settings): every cluster's file. */
  alertFiles?: AlertFileRule;
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
const same = <T>(record: T): T => record;

export const clusterLabel = (n: number): string => `c${n}`;
export const flowLabel = (n: number): string => `f${n}`;

const eventOf = (a: ClusteredAlert, flowOf: Map<number, number>): EventRecord => ({
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
});

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
    const summaries = await getJson<ClusterSummary[]>(store, keys.cluster);

    const flowOf = new Map<number, number>();
    const flowSize = new Map<number, number>();
    for (const flow of parsed.data.flows) {
      for (const c of flow.clusters) flowOf.set(c, flow.id);
      flowSize.set(flow.id, flow.clusters.length);
    }
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

    // Most clusters of a big run are single noise alerts no ticket is made for: writing a file
    // for each of them took a large share of the run.
    const rule = args.alertFiles;
    const wanted = new Set(
      summaries
        .filter((s) => !rule || alertFileWanted(rule, s, flowSize.get(flowOf.get(s.id)!) ?? 0))
        .map((s) => s.id),
    );
    const alertsKeyOf = (id: number): string | undefined =>
      wanted.has(id) ? keys.clusterAlerts(clusterLabel(id)) : undefined;
    // agg_alert.json is read record by record: event.json is built as it goes and each
    // cluster's alerts file is written once its last alert has passed.
    const members = new ClusterMembers(summaries, store, alertsKeyOf, parallelWrites);
    const events = new JsonListFile({ fields: { run: args.run }, field: 'events' });
    let alerts: number;
    let facts: Map<number, ClusterMemberFacts>;
    try {
      alerts = await readJsonList<ClusteredAlert>(
        store,
        keys.aggAlert,
        (a) => {
          events.add(JSON.stringify(eventOf(a, flowOf)));
          members.add(a);
        },
        async () => {
          await members.writeReady();
          heartbeat();
        },
      );
      facts = await members.finish();
    } catch (err) {
      events.discard();
      throw err;
    }
    await events.put(store, keys.eventOut);

    // Each record is made as it is written, so no list of every cluster is held twice.
    const clusterOf = (s: ClusterSummary): ClusterRecord => ({
      id: clusterLabel(s.id),
      alert_ids: facts.get(s.id)!.alertIds,
      start: s.start,
      end: s.end,
      size: s.size,
      entities: s.entities,
      techniques: s.techniques,
      tactics: s.tactics,
    });
    const flows: FlowRecord[] = parsed.data.flows.map((f) => ({
      id: flowLabel(f.id),
      cluster_ids: f.clusters.map(clusterLabel),
      edges: f.edges.map((e) => ({
        from: clusterLabel(e.from),
        to: clusterLabel(e.to),
        score: e.score,
      })),
    }));
    const enrichOf = (s: ClusterSummary): EnrichAlertInput['clusters'][number] => {
      const { priorities, urls } = facts.get(s.id)!;
      const record = clusterOf(s);
      return {
        cluster: record,
        flow: flowLabel(flowOf.get(s.id)!),
        priorities,
        urls,
        ...(wanted.has(s.id) ? { alertsKey: keys.clusterAlerts(record.id) } : {}),
      };
    };
    await putJsonDocument(
      store,
      keys.clusterOut,
      { run: args.run },
      'clusters',
      summaries,
      clusterOf,
    );
    await putJsonDocument(store, keys.flowOut, { run: args.run }, 'flows', flows, same);
    const enrichHead = { run: args.run, outputPrefix: keys.output };
    await putJsonDocument(
      store,
      keys.enrichAlertInput,
      enrichHead,
      'clusters',
      summaries,
      enrichOf,
    );
    log.info('outputs written', {
      run: args.run,
      events: alerts,
      clusters: summaries.length,
      alertFiles: wanted.size,
      flows: flows.length,
      output: keys.output,
    });
    return {
      flows: flows.length,
      events: alerts,
      eventKey: keys.eventOut,
      clusterKey: keys.clusterOut,
      flowKey: keys.flowOut,
      enrichAlertInputKey: keys.enrichAlertInput,
    };
  };
}

/** A cluster a campaign, JIRA issue or case is made for, or one a flow ticket covers. */
export function alertFileWanted(
  rule: AlertFileRule,
  cluster: Pick<ClusterSummary, 'size' | 'tactics'>,
  clustersInItsFlow: number,
): boolean {
  const meets =
    cluster.size >= rule.eventThreshold && cluster.tactics.length >= rule.tacticThreshold;
  return meets || (rule.perFlow && clustersInItsFlow >= 2);
}
