import { log } from '@temporalio/workflow';
import type { TicketSyncResult } from '../activities/tickets/lookup.js';
import { summariseTickets, type TicketStepResult } from './jira-issues.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';

/** One Elastic Security case per cluster, by the JIRA step's rules (see activities/tickets). */
export async function casesWorkflow(input: TicketWorkflowInput): Promise<TicketStepResult> {
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey } = input;
  const tickets: TicketSyncResult[] = [];
  for (const cluster of await acts.listTicketClusters({ enrichAlertInputKey })) {
    tickets.push(await acts.syncCase({ run, enrichAlertInputKey, cluster }));
  }
  const result = summariseTickets(tickets);
  log.info('case step finished', { run, ...result, tickets: tickets.length });
  return result;
}
