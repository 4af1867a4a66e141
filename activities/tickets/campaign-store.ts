import { getJson, putJson, type ObjectStore } from '../../core/store/index.js';

/**
 * The campaign store the UI reads: one JSON object per campaign under `campaigns/`. A campaign is
 * one cluster of one run, so its id (`<run>--<cluster>`) is stable across reruns and retries and
 * writing it again updates it in place.
 */
export const campaignPrefix = 'campaigns/';

export interface Campaign {
  id: string;
  run: string;
  cluster: string;
  flow: string;
  summary: string;
  description: string;
  size: number;
  alertIds: string[];
  start: number;
  end: number;
  entities: string[];
  techniques: string[];
  tactics: string[];
  priorities: { count: number; mean: number | null; median: number | null };
  urls: string[];
  /** Object key of the cluster's alerts. */
  alertsKey: string;
  /** Folder of the run's event.json, cluster.json and flow.json. */
  outputPrefix: string;
  createdAt: string;
  updatedAt: string;
}

export const campaignId = (run: string, cluster: string): string => `${run}--${cluster}`;
export const campaignKey = (id: string): string => `${campaignPrefix}${id}.json`;

export async function getCampaign(store: ObjectStore, id: string): Promise<Campaign | undefined> {
  const body = await store.getIfExists(campaignKey(id));
  return body ? (JSON.parse(body.toString('utf8')) as Campaign) : undefined;
}

/** Campaigns, newest activity first; `run` narrows them to one run. */
export async function listCampaigns(
  store: ObjectStore,
  filter: { run?: string } = {},
): Promise<Campaign[]> {
  const keys = await store.list(campaignPrefix);
  const wanted = filter.run
    ? keys.filter((k) => k.startsWith(`${campaignPrefix}${filter.run}--`))
    : keys;
  const campaigns = await Promise.all(wanted.map((k) => getJson<Campaign>(store, k)));
  return campaigns.sort((a, b) => b.end - a.end || a.id.localeCompare(b.id));
}

/** Creates or updates a campaign, keeping when it was first created. */
export async function putCampaign(
  store: ObjectStore,
  campaign: Omit<Campaign, 'createdAt' | 'updatedAt'>,
  now = new Date(),
): Promise<{ campaign: Campaign; created: boolean }> {
  const existing = await getCampaign(store, campaign.id);
  const stamp = now.toISOString();
  const saved: Campaign = {
    ...campaign,
    createdAt: existing?.createdAt ?? stamp,
    updatedAt: stamp,
  };
  await putJson(store, campaignKey(campaign.id), saved);
  return { campaign: saved, created: !existing };
}
