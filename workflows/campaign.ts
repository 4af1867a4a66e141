import { log } from '@temporalio/workflow';
import type { WrittenCampaigns } from '../activities/tickets/campaigns.js';
import { ticketActivities, type TicketWorkflowInput } from './ticket-options.js';

export interface CampaignWorkflowInput extends TicketWorkflowInput {
  eventThreshold: number;
  tacticThreshold: number;
}

export interface CampaignResult extends WrittenCampaigns {
  /** Clusters below EVENT_THRESHOLD or TACTIC_THRESHOLD. */
  belowThreshold: number;
  clusters: number;
}

/** Writes a campaign to the campaign store for every cluster that meets both thresholds. */
export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<CampaignResult> {
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
