import { readEventOverrides, loadRunEvents } from '../activities/feedback/run-events.js';
import { getCampaign, listCampaigns, type Campaign } from '../activities/tickets/campaign-store.js';
import { AttackCatalog } from '../core/attack.js';
import type { Config } from '../core/config.js';
import { runKeys } from '../core/keys.js';
import { clusterFileSchema, flowFileSchema, type EventRecord } from '../core/output-formats.js';
import type { ObjectStore } from '../core/store/index.js';
import { flowSvg } from './flow-svg.js';
import { ticketLinks, type CampaignTickets } from './ticket-links.js';

/** Kill-chain order and names of the ATT&CK tactics, which the UI needs no bundle for. */
const tactics = AttackCatalog.empty('campaign UI').tactics;
const tacticRank = new Map(tactics.map((t, i) => [t.id, i]));
export const tacticName = (id: string): string =>
  tactics.find((t) => t.id === id)?.name ?? (id || 'No tactic');

export type CampaignItem = Campaign & CampaignTickets;

export async function campaignItems(store: ObjectStore, config: Config): Promise<CampaignItem[]> {
  const campaigns = await listCampaigns(store);
  return Promise.all(
    campaigns.map(async (c) => ({ ...c, ...(await ticketLinks(store, config.tickets, c)) })),
  );
}

export type UiEvent = EventRecord & { hidden: boolean; stage: string };

export interface CampaignDetail {
  campaign: CampaignItem;
  events: UiEvent[];
  /** Events grouped by their earliest tactic, stages in the order the attack reached them. */
  stages: { tactic: string; name: string; events: UiEvent[] }[];
  flowSvg: string;
  /** Other campaigns of the same run: where events can be cut to. */
  targets: { id: string; cluster: string; size: number }[];
  eventAttributes: string[];
  nodeAttributes: string[];
}

const stageOf = (e: EventRecord): string =>
  [...e.tactics].sort((a, b) => (tacticRank.get(a) ?? 99) - (tacticRank.get(b) ?? 99))[0] ?? '';

export async function campaignDetail(
  store: ObjectStore,
  config: Config,
  id: string,
): Promise<CampaignDetail | undefined> {
  const found = await getCampaign(store, id);
  if (!found) return undefined;
  const campaign = { ...found, ...(await ticketLinks(store, config.tickets, found)) };
  const [all, overrides, siblings] = await Promise.all([
    loadRunEvents(store, found.run),
    readEventOverrides(store, found.run),
    listCampaigns(store, { run: found.run }),
  ]);
  const hidden = new Set(overrides.hidden);
  const events = found.alertIds
    .flatMap((alertId) => {
      const e = all.get(alertId);
      return e ? [{ ...e, hidden: hidden.has(e.id), stage: stageOf(e) }] : [];
    })
    .sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  const stages: CampaignDetail['stages'] = [];
  for (const e of events) {
    let stage = stages.find((s) => s.tactic === e.stage);
    if (!stage) stages.push((stage = { tactic: e.stage, name: tacticName(e.stage), events: [] }));
    stage.events.push(e);
  }
  return {
    campaign,
    events,
    stages,
    flowSvg: await runFlowSvg(store, found, siblings),
    targets: siblings
      .filter((c) => c.id !== id)
      .map((c) => ({ id: c.id, cluster: c.cluster, size: c.size })),
    eventAttributes: [...new Set(events.flatMap((e) => Object.keys(e.other_attributes_dict)))],
    nodeAttributes: await nodeAttributes(store, found),
  };
}

async function runFlowSvg(store: ObjectStore, campaign: Campaign, siblings: Campaign[]) {
  const keys = runKeys(campaign.run);
  const [flowBody, clusterBody] = await Promise.all([
    store.getIfExists(keys.flowOut),
    store.getIfExists(keys.clusterOut),
  ]);
  if (!flowBody || !clusterBody) return flowSvg(undefined, [], campaign, siblings);
  const flows = flowFileSchema.parse(JSON.parse(flowBody.toString('utf8'))).flows;
  const clusters = clusterFileSchema.parse(JSON.parse(clusterBody.toString('utf8'))).clusters;
  return flowSvg(
    flows.find((f) => f.id === campaign.flow),
    clusters,
    campaign,
    siblings,
  );
}

async function nodeAttributes(store: ObjectStore, campaign: Campaign): Promise<string[]> {
  const body = await store.getIfExists(runKeys(campaign.run).nodeFeature);
  if (!body) return [];
  const features = JSON.parse(body.toString('utf8')) as Record<string, Record<string, unknown>>;
  const entities = new Set(campaign.entities.map((e) => e.trim().toLowerCase()));
  const names = Object.entries(features)
    .filter(([entity]) => entities.has(entity.trim().toLowerCase()))
    .flatMap(([, attrs]) => Object.keys(attrs));
  return [...new Set(names)].sort();
}
