import { badInput, failureTypes } from '../../core/failures.js';
import { enrichAlertInputSchema, type EnrichAlertInput } from '../../core/output-formats.js';
import { getJson, type ObjectStore } from '../../core/store/index.js';
import {
  buildTicketContent,
  meetsThresholds,
  type TicketCluster,
  type TicketContent,
} from './content.js';

/** The most alerts an attachment carries; the cluster's full list stays in the object store. */
export const maxAttachedAlerts = 2000;

export interface ListTicketClustersArgs {
  enrichAlertInputKey: string;
  /** Only clusters meeting both; omitted, every cluster. */
  thresholds?: { eventThreshold: number; tacticThreshold: number };
}

/** Reads and checks `enrich_alert_input.json`; a malformed file is bad input, never retried. */
export async function loadTicketInput(store: ObjectStore, key: string): Promise<EnrichAlertInput> {
  const parsed = enrichAlertInputSchema.safeParse(await getJson(store, key));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(
      failureTypes.invalidInputFile,
      `${key}: ${issue?.path.join('.') || '(file)'}: ${issue?.message}`,
      { key },
    );
  }
  return parsed.data;
}

/** One cluster of the input with its ticket text, or bad input naming the missing cluster. */
export async function loadTicketCluster(
  store: ObjectStore,
  key: string,
  clusterId: string,
): Promise<{ input: EnrichAlertInput; entry: TicketCluster; content: TicketContent }> {
  const input = await loadTicketInput(store, key);
  const entry = input.clusters.find((c) => c.cluster.id === clusterId);
  if (!entry) {
    throw badInput(failureTypes.invalidInputFile, `${key}: no cluster ${clusterId}`, { key });
  }
  return { input, entry, content: contentFor(store, input, entry) };
}

/**
 * Where a cluster's alerts file is. The outputs step writes one only for clusters some ticketing
 * step uses, so a ticket asked for any other cluster is bad input, not a missing object to retry.
 */
export function alertsKeyOf(inputKey: string, entry: TicketCluster): string {
  if (entry.alertsKey) return entry.alertsKey;
  throw badInput(
    failureTypes.invalidInputFile,
    `${inputKey}: clusters.${entry.cluster.id}.alertsKey: absent, as the cluster is below ` +
      'the ticket thresholds; no ticket uses its alerts',
    { key: inputKey },
  );
}

/** Says where the cluster's alerts are kept, or that they are not kept on their own. */
export const describeAlerts = (store: ObjectStore, entry: TicketCluster): string =>
  entry.alertsKey ? store.describe(entry.alertsKey) : 'not kept (below the ticket thresholds)';

/** The ticket text of one cluster, pointing at where the store keeps the run's files. */
export function contentFor(
  store: ObjectStore,
  input: EnrichAlertInput,
  entry: TicketCluster,
): TicketContent {
  return buildTicketContent(input, entry, {
    eventFile: store.describe(`${input.outputPrefix}/event.json`),
    clusterFile: store.describe(`${input.outputPrefix}/cluster.json`),
    flowFile: store.describe(`${input.outputPrefix}/flow.json`),
    clusterAlerts: describeAlerts(store, entry),
  });
}

/** The cluster's alerts as an attachment: JSON, at most `maxAttachedAlerts` of them. */
export async function alertsAttachment(
  store: ObjectStore,
  inputKey: string,
  entry: TicketCluster,
): Promise<{ filename: string; content: Buffer }> {
  const alertsKey = alertsKeyOf(inputKey, entry);
  const alerts = await getJson<unknown[]>(store, alertsKey);
  const subset = alerts.slice(0, maxAttachedAlerts);
  const body = {
    cluster: entry.cluster.id,
    alerts: subset.length,
    of: alerts.length,
    source: store.describe(alertsKey),
    items: subset,
  };
  return {
    filename: `alerts-${entry.cluster.id}.json`,
    content: Buffer.from(JSON.stringify(body, null, 1)),
  };
}

/** The ids of the clusters a ticketing step works on: small enough for workflow history. */
export function makeListTicketClusters({ store }: { store: ObjectStore }) {
  return async function listTicketClusters(args: ListTicketClustersArgs): Promise<string[]> {
    const input = await loadTicketInput(store, args.enrichAlertInputKey);
    return input.clusters
      .filter((entry) => !args.thresholds || meetsThresholds(entry, args.thresholds))
      .map((entry) => entry.cluster.id);
  };
}
