import { badInput, failureTypes } from '../../core/failures.js';
import { flowFileSchema, type EnrichAlertInput } from '../../core/output-formats.js';
import { getJson, type ObjectStore } from '../../core/store/index.js';
import type { TicketCluster, TicketContent } from './content.js';
import { buildFlowContent } from './flow-content.js';
import { alertsKeyOf, describeAlerts, loadTicketInput, maxAttachedAlerts } from './ticket-input.js';

export interface ListTicketFlowsArgs {
  enrichAlertInputKey: string;
}

/** The flows that link two or more clusters: a flow of one cluster adds nothing to its ticket. */
export function flowsWithClusters(input: EnrichAlertInput): Map<string, TicketCluster[]> {
  const byFlow = new Map<string, TicketCluster[]>();
  for (const entry of input.clusters)
    byFlow.set(entry.flow, [...(byFlow.get(entry.flow) ?? []), entry]);
  return new Map([...byFlow].filter(([, entries]) => entries.length >= 2));
}

/** One flow of the run with its ticket text; its edges come from the run's flow.json. */
export async function loadTicketFlow(
  store: ObjectStore,
  key: string,
  flowId: string,
): Promise<{ entries: TicketCluster[]; content: TicketContent }> {
  const input = await loadTicketInput(store, key);
  const entries = flowsWithClusters(input).get(flowId);
  const flowKey = `${input.outputPrefix}/flow.json`;
  const flows = flowFileSchema.safeParse(await getJson(store, flowKey));
  const flow = flows.success ? flows.data.flows.find((f) => f.id === flowId) : undefined;
  if (!entries || !flow) {
    const what = entries ? `${flowKey} has no flow ${flowId}` : `no flow ${flowId} of 2+ clusters`;
    throw badInput(failureTypes.invalidInputFile, `${key}: ${what}`, { key });
  }
  const content = buildFlowContent(input, flow, entries, {
    eventFile: store.describe(`${input.outputPrefix}/event.json`),
    clusterFile: store.describe(`${input.outputPrefix}/cluster.json`),
    flowFile: store.describe(flowKey),
    clusterAlerts: entries.map((e) => describeAlerts(store, e)).join(', '),
  });
  return { entries, content };
}

/** The flow's alerts as one attachment, cluster by cluster, capped as a cluster's are. */
export async function flowAlertsAttachment(
  store: ObjectStore,
  inputKey: string,
  flowId: string,
  entries: TicketCluster[],
): Promise<{ filename: string; content: Buffer }> {
  const keys = entries.map((entry) => alertsKeyOf(inputKey, entry));
  const alerts: unknown[] = [];
  for (const key of keys) alerts.push(...(await getJson<unknown[]>(store, key)));
  const subset = alerts.slice(0, maxAttachedAlerts);
  const body = {
    flow: flowId,
    clusters: entries.map((e) => e.cluster.id),
    alerts: subset.length,
    of: alerts.length,
    sources: keys.map((key) => store.describe(key)),
    items: subset,
  };
  return {
    filename: `alerts-flow-${flowId}.json`,
    content: Buffer.from(JSON.stringify(body, null, 1)),
  };
}

/** The ids of the flows that get their own tickets: small enough for workflow history. */
export function makeListTicketFlows({ store }: { store: ObjectStore }) {
  return async function listTicketFlows(args: ListTicketFlowsArgs): Promise<string[]> {
    return [...flowsWithClusters(await loadTicketInput(store, args.enrichAlertInputKey)).keys()];
  };
}
