import type { TicketSyncResult } from '../activities/tickets/lookup.js';
import type { TicketClusterPage } from '../activities/tickets/cluster-pages.js';
import { thresholdsOf, ticketActivities, type TicketWorkflowInput } from './ticket-options.js';

/** How many tickets a step's result lists; its counts cover all of them. */
export const listedTickets = 100;

/**
 * Clusters one run of the JIRA or case workflow handles before it continues as new: a few
 * activities each, so a run's history stays a few thousand events at most.
 */
export const defaultClustersPerRun = 500;

export interface TicketTally {
  created: number;
  updated: number;
  replaced: number;
  adopted: number;
  /** The first `listedTickets` of them. */
  tickets: TicketSyncResult[];
}

export const emptyTally = (): TicketTally => ({
  created: 0,
  updated: 0,
  replaced: 0,
  adopted: 0,
  tickets: [],
});

export function addTicket(tally: TicketTally, ticket: TicketSyncResult): void {
  tally[ticket.action]++;
  if (ticket.adopted) tally.adopted++;
  if (tally.tickets.length < listedTickets) tally.tickets.push(ticket);
}

/** Where a JIRA or case workflow that continued as new goes on, and what it had done so far. */
export interface TicketResume<S> {
  /** Position in the list of ticketed clusters. */
  offset: number;
  state: S;
}

export interface PagedTicketInput extends TicketWorkflowInput {
  /** Set by the workflow itself when it continues as new. */
  resume?: TicketResume<unknown>;
  /** Clusters per run before continuing as new; `defaultClustersPerRun` when absent. */
  clustersPerRun?: number;
}

/**
 * Calls `each` for every ticketed cluster, reading them a page at a time so that no list of
 * the run's clusters passes through history. After `clustersPerRun` of them it hands the
 * position to `continueFrom`, which continues the workflow as new.
 */
export async function forEachTicketedCluster(
  input: PagedTicketInput,
  each: (cluster: string) => Promise<void>,
  continueFrom: (offset: number) => Promise<never>,
): Promise<void> {
  const acts = ticketActivities(input.taskQueues);
  const perRun = Math.max(1, input.clustersPerRun ?? defaultClustersPerRun);
  let offset: number | undefined = input.resume?.offset ?? 0;
  let handled = 0;
  while (offset !== undefined) {
    const page: TicketClusterPage = await acts.listTicketClusterPage({
      enrichAlertInputKey: input.enrichAlertInputKey,
      offset,
      ...thresholdsOf(input),
      ...(input.pageSize ? { pageSize: input.pageSize } : {}),
    });
    for (const [n, cluster] of page.clusters.entries()) {
      if (handled === perRun) await continueFrom(offset + n);
      await each(cluster);
      handled++;
    }
    offset = page.nextOffset;
  }
}
