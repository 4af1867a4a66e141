import { log, patched } from '@temporalio/workflow';
import type { CaseAlertLinks } from '../activities/tickets/case-alerts.js';
import type { TicketSyncResult } from '../activities/tickets/lookup.js';
import { summariseTickets, type TicketStepResult } from './jira-issues.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';

/** The alerts linked to cases in a run, summed over clusters. */
export interface AlertLinkCounts {
  linked: number;
  alreadyLinked: number;
  notInElastic: number;
  overLimit: number;
}

export interface CaseStepResult extends TicketStepResult {
  /** `off` when the worker has no Elasticsearch to find the original alerts in. */
  alertsLinked: AlertLinkCounts | 'off';
}

/**
 * One Elastic Security case per cluster (and per flow with `perFlow`), by the JIRA step's rules
 * (see activities/tickets). Each cluster's case is then linked to its original Elastic alerts;
 * flow cases are not, as their alerts are already linked on the cases of their clusters. Linking
 * is its own activity so that an outage of Elasticsearch retries only the linking, never the
 * case's create or update.
 */
export async function casesWorkflow(input: TicketWorkflowInput): Promise<CaseStepResult> {
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey } = input;
  // Histories of cases workflows started before linking existed replay without it.
  const linking = patched('case-alerts');
  const tickets: TicketSyncResult[] = [];
  const links: (CaseAlertLinks | 'off')[] = [];
  for (const cluster of await acts.listTicketClusters({ enrichAlertInputKey })) {
    const synced = await acts.syncCase({ run, enrichAlertInputKey, cluster });
    tickets.push(synced);
    if (linking) {
      links.push(
        await acts.linkCaseAlerts({ run, enrichAlertInputKey, cluster, caseId: synced.ticket }),
      );
    }
  }
  // Asked only with the setting on, so histories of runs without it replay unmarked.
  if (input.perFlow && patched('flow-tickets')) {
    for (const flow of await acts.listTicketFlows({ enrichAlertInputKey })) {
      tickets.push(await acts.syncCase({ run, enrichAlertInputKey, flow }));
    }
  }
  const result = { ...summariseTickets(tickets), alertsLinked: sumLinks(links) };
  log.info('case step finished', { run, ...result, tickets: tickets.length });
  return result;
}

function sumLinks(links: (CaseAlertLinks | 'off')[]): AlertLinkCounts | 'off' {
  const on = links.filter((l): l is CaseAlertLinks => l !== 'off');
  if (on.length === 0 && links.length > 0) return 'off';
  const total: AlertLinkCounts = { linked: 0, alreadyLinked: 0, notInElastic: 0, overLimit: 0 };
  for (const l of on) {
    total.linked += l.linked;
    total.alreadyLinked += l.alreadyLinked;
    total.notInElastic += l.notInElastic;
    total.overLimit += l.overLimit;
  }
  return total;
}
