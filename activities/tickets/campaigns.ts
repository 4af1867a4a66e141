import { log } from '@temporalio/activity';
import type { ObjectStore } from '../../core/store/index.js';
import { campaignId, putCampaign } from './campaign-store.js';
import { alertsKeyOf, contentFor, loadTicketInput } from './ticket-input.js';

export interface WriteCampaignsArgs {
  run: string;
  enrichAlertInputKey: string;
  /** Clusters that met the thresholds (from `listTicketClusters`). */
  clusters: string[];
}

export interface WrittenCampaigns {
  created: number;
  updated: number;
  ids: string[];
}

/**
 * Writes one campaign per cluster to the campaign store. Idempotent: a campaign's key comes from
 * run and cluster, so a retry or a rerun rewrites the same objects.
 */
export function makeWriteCampaigns({ store }: { store: ObjectStore }) {
  return async function writeCampaigns(args: WriteCampaignsArgs): Promise<WrittenCampaigns> {
    const result: WrittenCampaigns = { created: 0, updated: 0, ids: [] };
    const input = await loadTicketInput(store, args.enrichAlertInputKey);
    const wanted = new Set(args.clusters);
    for (const entry of input.clusters.filter((e) => wanted.has(e.cluster.id))) {
      const cluster = entry.cluster.id;
      const content = contentFor(store, input, entry);
      const c = entry.cluster;
      const { created, campaign } = await putCampaign(store, {
        id: campaignId(args.run, cluster),
        run: args.run,
        cluster,
        flow: entry.flow,
        summary: content.summary,
        description: content.description,
        size: c.size,
        alertIds: c.alert_ids,
        start: c.start,
        end: c.end,
        entities: c.entities,
        techniques: c.techniques,
        tactics: c.tactics,
        priorities: content.priorities,
        urls: entry.urls,
        alertsKey: alertsKeyOf(args.enrichAlertInputKey, entry),
        outputPrefix: input.outputPrefix,
      });
      result[created ? 'created' : 'updated']++;
      result.ids.push(campaign.id);
    }
    log.info('campaigns written', { run: args.run, ...result, ids: undefined });
    return result;
  };
}
