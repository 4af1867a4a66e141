import { continueAsNew, log, patched } from '@temporalio/workflow';
import type { TicketSyncResult } from '../activities/tickets/lookup.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';
import {
  addTicket,
  emptyTally,
  forEachTicketedCluster,
  type PagedTicketInput,
  type TicketTally,
} from './ticket-pages.js';

export interface TicketStepResult {
  created: number;
  updated: number;
  replaced: number;
  /** Found by their mark after an attempt that died before saving the lookup. */
  adopted: number;
  /** Every ticket in runs before paging; since, the first `listedTickets` of them. */
  tickets: TicketSyncResult[];
}

export interface JiraWorkflowInput extends PagedTicketInput {
  resume?: { offset: number; state: TicketTally };
}

export function summariseTickets(tickets: TicketSyncResult[]): TicketStepResult {
  const count = (action: TicketSyncResult['action']) =>
    tickets.filter((t) => t.action === action).length;
  return {
    created: count('created'),
    updated: count('updated'),
    replaced: count('replaced'),
    adopted: tickets.filter((t) => t.adopted).length,
    tickets,
  };
}

/**
 * One JIRA issue per cluster that meets the thresholds, and per flow with `perFlow`, created,
 * updated or replaced (activities/tickets/jira.ts). They go one at a time: JIRA rate-limits per
 * user, and a burst only earns 429s.
 */
export async function jiraWorkflow(input: JiraWorkflowInput): Promise<TicketStepResult> {
  // Histories of runs that listed every cluster at once replay as they ran.
  if (!patched('ticket-pages')) return jiraAllClusters(input);
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey } = input;
  const tally = input.resume?.state ?? emptyTally();
  await forEachTicketedCluster(
    input,
    async (cluster) =>
      addTicket(tally, await acts.syncJiraIssue({ run, enrichAlertInputKey, cluster })),
    (offset) => continueAsNew<typeof jiraWorkflow>({ ...input, resume: { offset, state: tally } }),
  );
  if (input.perFlow) {
    for (const flow of await acts.listTicketFlows({ enrichAlertInputKey })) {
      addTicket(tally, await acts.syncJiraIssue({ run, enrichAlertInputKey, flow }));
    }
  }
  log.info('JIRA step finished', { run, ...tally, tickets: undefined });
  return tally;
}

async function jiraAllClusters(input: TicketWorkflowInput): Promise<TicketStepResult> {
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey } = input;
  const tickets: TicketSyncResult[] = [];
  for (const cluster of await acts.listTicketClusters({ enrichAlertInputKey })) {
    tickets.push(await acts.syncJiraIssue({ run, enrichAlertInputKey, cluster }));
  }
  // Asked only with the setting on, so histories of runs without it replay unmarked.
  if (input.perFlow && patched('flow-tickets')) {
    for (const flow of await acts.listTicketFlows({ enrichAlertInputKey })) {
      tickets.push(await acts.syncJiraIssue({ run, enrichAlertInputKey, flow }));
    }
  }
  const result = summariseTickets(tickets);
  log.info('JIRA step finished', { run, ...result, tickets: tickets.length });
  return result;
}
