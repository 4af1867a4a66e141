import { continueAsNew, log, patched } from '@temporalio/workflow';
import type { CaseAlertLinks } from '../activities/tickets/case-alerts.js';
import type { TicketSyncResult } from '../activities/tickets/lookup.js';
import { summariseTickets, type TicketStepResult } from './jira-issues.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';
import {
  addTicket,
  emptyTally,
  forEachTicketedCluster,
  type PagedTicketInput,
  type TicketTally,
} from './ticket-pages.js';

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

/** What a case workflow carries when it continues as new. */
interface CaseTally extends TicketTally {
  links: LinkTally;
}

interface LinkTally {
  total: AlertLinkCounts;
  on: number;
  off: number;
}

export interface CasesWorkflowInput extends PagedTicketInput {
  resume?: { offset: number; state: CaseTally };
}

/**
 * One Elastic Security case per cluster that meets the thresholds (and per flow with
 * `perFlow`), by the JIRA step's rules (see activities/tickets). Each cluster's case is then
 * linked to its original Elastic alerts; flow cases are not, as their alerts are already linked
 * on the cases of their clusters. Linking is its own activity so that an outage of
 * Elasticsearch retries only the linking, never the case's create or update.
 */
export async function casesWorkflow(input: CasesWorkflowInput): Promise<CaseStepResult> {
  // Histories of cases workflows started before linking existed replay without it.
  const linking = patched('case-alerts');
  // Histories of runs that listed every cluster at once replay as they ran.
  if (!patched('ticket-pages')) return casesAllClusters(input, linking);
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey } = input;
  const tally: CaseTally = input.resume?.state ?? { ...emptyTally(), links: emptyLinks() };
  await forEachTicketedCluster(
    input,
    async (cluster) => {
      const synced = await acts.syncCase({ run, enrichAlertInputKey, cluster });
      addTicket(tally, synced);
      addLinks(
        tally.links,
        await acts.linkCaseAlerts({ run, enrichAlertInputKey, cluster, caseId: synced.ticket }),
      );
    },
    (offset) => continueAsNew<typeof casesWorkflow>({ ...input, resume: { offset, state: tally } }),
  );
  if (input.perFlow) {
    for (const flow of await acts.listTicketFlows({ enrichAlertInputKey })) {
      addTicket(tally, await acts.syncCase({ run, enrichAlertInputKey, flow }));
    }
  }
  const { links, ...tickets } = tally;
  const result = { ...tickets, alertsLinked: linkResult(links) };
  log.info('case step finished', { run, ...result, tickets: undefined });
  return result;
}

async function casesAllClusters(
  input: TicketWorkflowInput,
  linking: boolean,
): Promise<CaseStepResult> {
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey } = input;
  const tickets: TicketSyncResult[] = [];
  const links = emptyLinks();
  for (const cluster of await acts.listTicketClusters({ enrichAlertInputKey })) {
    const synced = await acts.syncCase({ run, enrichAlertInputKey, cluster });
    tickets.push(synced);
    if (linking) {
      addLinks(
        links,
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
  const result = { ...summariseTickets(tickets), alertsLinked: linkResult(links) };
  log.info('case step finished', { run, ...result, tickets: tickets.length });
  return result;
}

const emptyLinks = (): LinkTally => ({
  total: { linked: 0, alreadyLinked: 0, notInElastic: 0, overLimit: 0 },
  on: 0,
  off: 0,
});

function addLinks(tally: LinkTally, link: CaseAlertLinks | 'off'): void {
  if (link === 'off') {
    tally.off++;
    return;
  }
  tally.on++;
  tally.total.linked += link.linked;
  tally.total.alreadyLinked += link.alreadyLinked;
  tally.total.notInElastic += link.notInElastic;
  tally.total.overLimit += link.overLimit;
}

/** `off` when every cluster's linking was off: the worker has no Elasticsearch. */
const linkResult = (tally: LinkTally): AlertLinkCounts | 'off' =>
  tally.on === 0 && tally.off > 0 ? 'off' : tally.total;
