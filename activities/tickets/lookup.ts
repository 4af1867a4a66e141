import { getJson, putJson, type ObjectStore } from '../../core/store/index.js';

/** What a ticket is about: one cluster, or a flow of two or more clusters. */
export type TicketSubject = { cluster: string } | { flow: string };

/** The subject in lookup keys and file names: the cluster's id, or `flow-<id>`. */
export const subjectName = (subject: TicketSubject): string =>
  'cluster' in subject ? subject.cluster : `flow-${subject.flow}`;

/**
 * The subject in exactly-once marks. A cluster keeps its bare id, so that the marks of tickets
 * made before flow tickets existed are still found; `flow:` cannot clash with a cluster's id.
 */
export const subjectMark = (subject: TicketSubject): string =>
  'cluster' in subject ? subject.cluster : `flow:${subject.flow}`;

/**
 * The subject-to-ticket lookups under `scratch/jira/` and `scratch/cases/`: one object per run
 * and subject (`<cluster>.json`, `flow-<id>.json`), so parallel steps never overwrite each other.
 */
export const lookupKey = (kind: 'jira' | 'cases', run: string, name: string): string =>
  `scratch/${kind}/${run}/${name}.json`;

export type TicketLookup = TicketSubject & {
  run: string;
  /** JIRA issue key or Kibana case id. */
  ticket: string;
  /** The label or tag the ticket was created with (see `ticketMark`). */
  mark: string;
  /** 0 for the first ticket; one more each time a closed ticket was replaced. */
  generation: number;
  /** Earlier tickets of this cluster that were closed when the pipeline ran again. */
  replaced: string[];
  updatedAt: string;
};

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

export type TicketSyncResult = TicketSubject & {
  ticket: string;
  action: TicketAction;
  /** True when a retry found the ticket an earlier attempt had created. */
  adopted: boolean;
};
