import { log, patched } from '@temporalio/workflow';
import type { TicketClusterPage } from '../activities/tickets/cluster-pages.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';

export interface CampaignWorkflowInput extends TicketWorkflowInput {
  eventThreshold: number;
  tacticThreshold: number;
}

export interface CampaignResult {
  created: number;
  updated: number;
  /** The campaigns' ids in runs before paging; since, left out as they grow with the run. */
  ids?: string[];
  /** Clusters below EVENT_THRESHOLD or TACTIC_THRESHOLD. */
  belowThreshold: number;
  clusters: number;
}

/** Writes a campaign to the campaign store for every cluster that meets both thresholds. */
export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignResult> {
  // Histories of runs that listed every cluster at once replay as they ran.
  if (!patched('ticket-pages')) return campaignsAllAtOnce(input);
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey, eventThreshold, tacticThreshold } = input;
  const result: CampaignResult = { created: 0, updated: 0, belowThreshold: 0, clusters: 0 };
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page: TicketClusterPage = await acts.listTicketClusterPage({
      enrichAlertInputKey,
      thresholds: { eventThreshold, tacticThreshold },
      offset,
      ...(input.pageSize ? { pageSize: input.pageSize } : {}),
    });
    if (page.clusters.length > 0) {
      const written = await acts.writeCampaigns({
        run,
        enrichAlertInputKey,
        clusters: page.clusters,
      });
      result.created += written.created;
      result.updated += written.updated;
    }
    result.clusters = page.total;
    result.belowThreshold = page.total - page.ticketed;
    offset = page.nextOffset;
  }
  log.info('campaign step finished', { run, ...result });
  return result;
}

async function campaignsAllAtOnce(input: CampaignWorkflowInput): Promise<CampaignResult> {
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey, eventThreshold, tacticThreshold } = input;
  const all = await acts.listTicketClusters({ enrichAlertInputKey });
  const clusters = await acts.listTicketClusters({
    enrichAlertInputKey,
    thresholds: { eventThreshold, tacticThreshold },
  });
  const written = await acts.writeCampaigns({ run, enrichAlertInputKey, clusters });
  log.info('campaign step finished', {
    run,
    created: written.created,
    updated: written.updated,
    belowThreshold: all.length - clusters.length,
  });
  return { ...written, belowThreshold: all.length - clusters.length, clusters: all.length };
}
