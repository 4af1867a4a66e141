import { getJson, putJson, type ObjectStore } from '../../core/store/index.js';

/**
 * The cluster-to-ticket lookups under `scratch/jira/` and `scratch/cases/`: one object per run
 * and cluster, so that parallel clusters never overwrite each other's entry.
 */
export const lookupKey = (kind: 'jira' | 'cases', run: string, cluster: string): string =>
  `scratch/${kind}/${run}/${cluster}.json`;

export interface TicketLookup {
  run: string;
  cluster: string;
  /** JIRA issue key or Kibana case id. */
  ticket: string;
  /** The label or tag the ticket was created with (see `ticketMark`). */
  mark: string;
  /** 0 for the first ticket; one more each time a closed ticket was replaced. */
  generation: number;
  /** Earlier tickets of this cluster that were closed when the pipeline ran again. */
  replaced: string[];
  updatedAt: string;
}

export async function readLookup(
  store: ObjectStore,
  key: string,
): Promise<TicketLookup | undefined> {
  return (await store.exists(key)) ? getJson<TicketLookup>(store, key) : undefined;
}

/** Written only after the service answered, so the lookup never points at a ticket not made. */
export async function writeLookup(store: ObjectStore, key: string, entry: TicketLookup) {
  await putJson(store, key, entry);
}

export type TicketAction = 'created' | 'updated' | 'replaced';

export interface TicketSyncResult {
  cluster: string;
  ticket: string;
  action: TicketAction;
  /** True when a retry found the ticket an earlier attempt had created. */
  adopted: boolean;
}
