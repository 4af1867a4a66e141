import { log, patched } from '@temporalio/workflow';
import type { TicketSyncResult } from '../activities/tickets/lookup.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';

export interface TicketStepResult {
  created: number;
  updated: number;
  replaced: number;
  /** Found by their mark after an attempt that died before saving the lookup. */
  adopted: number;
  tickets: TicketSyncResult[];
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
 * One JIRA issue per cluster, and per flow with `perFlow`, created, updated or replaced
 * (activities/tickets/jira.ts). They go one at a time: JIRA rate-limits per user, and a burst
 * only earns 429s.
 */
export async function jiraWorkflow(input: TicketWorkflowInput): Promise<TicketStepResult> {
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
