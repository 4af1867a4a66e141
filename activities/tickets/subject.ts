import type { ObjectStore } from '../../core/store/index.js';
import type { TicketContent } from './content.js';
import { flowAlertsAttachment, loadTicketFlow } from './flow-input.js';
import type { TicketSubject } from './lookup.js';
import { alertsAttachment, loadTicketCluster } from './ticket-input.js';

export interface LoadedSubject {
  content: TicketContent;
  /** Read only when a ticket is created: updates leave attachments as they are. */
  attachment: () => Promise<{ filename: string; content: Buffer }>;
}

/**
 * The text and alerts of a cluster's or a flow's ticket, so that the JIRA and case steps treat
 * both alike and a flow ticket follows the same update, replace and exactly-once rules.
 */
export async function loadTicketSubject(
  store: ObjectStore,
  key: string,
  subject: TicketSubject,
): Promise<LoadedSubject> {
  if ('cluster' in subject) {
    const { entry, content } = await loadTicketCluster(store, key, subject.cluster);
    return { content, attachment: () => alertsAttachment(store, key, entry) };
  }
  const { entries, content } = await loadTicketFlow(store, key, subject.flow);
  return { content, attachment: () => flowAlertsAttachment(store, key, subject.flow, entries) };
}
