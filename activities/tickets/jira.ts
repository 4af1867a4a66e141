import { log } from '@temporalio/activity';
import type { ObjectStore } from '../../core/store/index.js';
import { jiraDescriptionLimit } from './content.js';
import { notConfigured } from './failures.js';
import type { JiraTickets } from './jira-client.js';
import { writeLookup, type TicketSyncResult } from './lookup.js';
import { newLookup, nextMark, prepareTicketSync, type SyncTicketArgs } from './ticket-sync.js';

/** Statuses in which an issue is still being worked on, so it is updated rather than replaced. */
const openStatuses = new Set(['open', 'in progress', 'to do']);

/**
 * One cluster's (or flow's) JIRA issue. The issue made for it before is updated while it is
 * open; once it has moved on (done, closed, ...) a new issue takes its place; with none, one is
 * created.
 *
 * Exactly once: every issue is created with a label unique to run, subject and generation, and
 * looked for by that label before creating. An attempt that died after JIRA created the issue
 * but before the lookup was written therefore finds and adopts it on retry.
 */
export function makeSyncJiraIssue(deps: { store: ObjectStore; jira?: JiraTickets }) {
  return async function syncJiraIssue(args: SyncTicketArgs): Promise<TicketSyncResult> {
    const { store } = deps;
    const jira = deps.jira;
    if (!jira) throw notConfigured('JIRA', 'JIRA_URL, JIRA_API_TOKEN and JIRA_PROJECT');
    const { run } = args;
    const prepared = await prepareTicketSync(store, args, 'jira', jiraDescriptionLimit);
    const { subject, loaded, descriptionFile, fitted, key, previous } = prepared;
    const { content } = loaded;

    if (previous) {
      const status = await jira.status(previous.ticket);
      if (status !== undefined && openStatuses.has(status.toLowerCase())) {
        await jira.updateText(previous.ticket, content.summary, fitted.text);
        if (fitted.attachWhole) {
          await jira.attach(previous.ticket, descriptionFile, Buffer.from(content.description));
        }
        await writeLookup(store, key, { ...previous, updatedAt: new Date().toISOString() });
        log.info('JIRA issue updated', { run, ...subject, issue: previous.ticket, status });
        return { ...subject, ticket: previous.ticket, action: 'updated', adopted: false };
      }
      log.info('earlier JIRA issue is no longer open; creating a new one', {
        run,
        ...subject,
        issue: previous.ticket,
        status: status ?? '(deleted)',
      });
    }

    const next = nextMark(run, subject, previous);
    const { mark } = next;
    const earlier = await jira.findByLabel(mark);
    const issue = earlier ?? (await jira.create(content.summary, fitted.text, mark));
    // Also on adoption: the attempt that created the issue may have died before attaching.
    const present = earlier ? await jira.attachmentNames(issue.key) : new Set<string>();
    const alerts = await loaded.attachment();
    const files = [alerts];
    if (fitted.attachWhole) {
      files.push({ filename: descriptionFile, content: Buffer.from(content.description) });
    }
    for (const file of files) {
      if (!present.has(file.filename)) await jira.attach(issue.key, file.filename, file.content);
    }

    await writeLookup(store, key, newLookup(run, subject, issue.key, next, previous));
    const action = previous ? 'replaced' : 'created';
    log.info(earlier ? 'JIRA issue adopted from an earlier attempt' : `JIRA issue ${action}`, {
      run,
      ...subject,
      issue: issue.key,
      attachments: files.map((f) => f.filename),
      longDescription: fitted.attachWhole,
    });
    return { ...subject, ticket: issue.key, action, adopted: Boolean(earlier) };
  };
}
