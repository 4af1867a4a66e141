import type { ObjectStore } from '../../core/store/index.js';
import { makeWriteCampaigns } from './campaigns.js';
import { makeListTicketClusterPage } from './cluster-pages.js';
import { makeLinkCaseAlerts } from './case-alerts.js';
import { makeSyncCase } from './cases.js';
import type { ElasticAlerts } from './elastic-alerts.js';
import { makeListTicketFlows } from './flow-input.js';
import type { JiraTickets } from './jira-client.js';
import { makeSyncJiraIssue } from './jira.js';
import type { KibanaCases } from './kibana-cases.js';
import { makeListTicketClusters } from './ticket-input.js';

export type { Campaign } from './campaign-store.js';
export { getCampaign, listCampaigns } from './campaign-store.js';
export type { CaseAlertLinks } from './case-alerts.js';
export type { TicketSyncResult } from './lookup.js';

/** The ticketing activities: campaigns, JIRA issues and Elastic cases. */
export function makeTicketActivities(deps: {
  store: ObjectStore;
  jira?: JiraTickets;
  cases?: KibanaCases;
  elastic?: ElasticAlerts;
}) {
  return {
    listTicketClusters: makeListTicketClusters(deps),
    listTicketClusterPage: makeListTicketClusterPage(deps),
    listTicketFlows: makeListTicketFlows(deps),
    writeCampaigns: makeWriteCampaigns(deps),
    syncJiraIssue: makeSyncJiraIssue(deps),
    syncCase: makeSyncCase(deps),
    linkCaseAlerts: makeLinkCaseAlerts(deps),
  };
}
