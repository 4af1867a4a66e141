import { lookupKey, readLookup } from '../activities/tickets/lookup.js';
import type { Campaign } from '../activities/tickets/campaign-store.js';
import type { Config } from '../core/config.js';
import type { ObjectStore } from '../core/store/index.js';

export interface TicketLink {
  ticket: string;
  /** Absent when the service's address is not configured on this host. */
  url?: string;
}

export interface CampaignTickets {
  jira?: TicketLink;
  case?: TicketLink;
}

/** The JIRA issue and Elastic case made for a campaign's cluster, from the ticket lookups. */
export async function ticketLinks(
  store: ObjectStore,
  tickets: Config['tickets'],
  campaign: Campaign,
): Promise<CampaignTickets> {
  const [jira, kase] = await Promise.all([
    readLookup(store, lookupKey('jira', campaign.run, campaign.cluster)),
    readLookup(store, lookupKey('cases', campaign.run, campaign.cluster)),
  ]);
  const links: CampaignTickets = {};
  if (jira) {
    const base = tickets.jira?.url.replace(/\/+$/, '');
    links.jira = { ticket: jira.ticket, url: base && `${base}/browse/${jira.ticket}` };
  }
  if (kase) {
    const cases = tickets.cases;
    const space = cases?.space ? `/s/${encodeURIComponent(cases.space)}` : '';
    const base = cases?.kibanaUrl.replace(/\/+$/, '');
    const url = base && `${base}${space}/app/security/cases/${encodeURIComponent(kase.ticket)}`;
    links.case = { ticket: kase.ticket, url };
  }
  return links;
}
