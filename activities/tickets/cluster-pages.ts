import { meetsThresholds } from './content.js';
import { loadTicketInput } from './ticket-input.js';
import type { ObjectStore } from '../../core/store/index.js';

/** Enough clusters per page that a big run takes few reads, few enough for a small payload. */
export const defaultClusterPageSize = 500;

export interface TicketThresholds {
  eventThreshold: number;
  tacticThreshold: number;
}

export interface TicketClusterPageArgs {
  enrichAlertInputKey: string;
  /** Only clusters meeting both; omitted, every cluster. */
  thresholds?: TicketThresholds;
  /** Position in the list of clusters that pass, where this page starts. */
  offset: number;
  pageSize?: number;
}

export interface TicketClusterPage {
  clusters: string[];
  /** Every cluster of the input. */
  total: number;
  /** The clusters that pass the thresholds (all of them without thresholds). */
  ticketed: number;
  /** Where the next page starts; absent on the last page. */
  nextOffset?: number;
}

/**
 * One page of the clusters a ticketing step works on, so that a run of any size passes only
 * a bounded list through workflow history.
 */
export function makeListTicketClusterPage({ store }: { store: ObjectStore }) {
  return async function listTicketClusterPage(
    args: TicketClusterPageArgs,
  ): Promise<TicketClusterPage> {
    // A page of nothing would never end the workflow's loop.
    const pageSize = Math.max(1, Math.floor(args.pageSize ?? defaultClusterPageSize));
    const input = await loadTicketInput(store, args.enrichAlertInputKey);
    const passing = input.clusters.filter(
      (entry) => !args.thresholds || meetsThresholds(entry, args.thresholds),
    );
    const end = args.offset + pageSize;
    return {
      clusters: passing.slice(args.offset, end).map((entry) => entry.cluster.id),
      total: input.clusters.length,
      ticketed: passing.length,
      ...(end < passing.length ? { nextOffset: end } : {}),
    };
  };
}
