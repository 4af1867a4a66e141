import { log } from '@temporalio/activity';
import type { ObjectStore } from '../../core/store/index.js';
import { fitDescription, jiraDescriptionLimit, ticketMark } from './content.js';
import { notConfigured } from './failures.js';
import type { JiraTickets } from './jira-client.js';
import {
  lookupKey,
  readLookup,
  subjectMark,
  subjectName,
  writeLookup,
  type TicketLookup,
  type TicketSubject,
  type TicketSyncResult,
} from './lookup.js';
import { loadTicketSubject } from './subject.js';

/** A cluster's ticket (`cluster`) or a flow's (`flow`), never both. */
export type SyncTicketArgs = TicketSubject & {
  run: string;
  enrichAlertInputKey: string;
};

/** The subject alone, to put in lookups, results and logs. */
export const subjectOf = (args: TicketSubject): TicketSubject =>
  'cluster' in args ? { cluster: args.cluster } : { flow: args.flow };

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
    const subject = subjectOf(args);
    const name = subjectName(subject);
    const loaded = await loadTicketSubject(store, args.enrichAlertInputKey, subject);
    const { content } = loaded;
    const descriptionFile = `description-${name}.txt`;
    const fitted = fitDescription(content, jiraDescriptionLimit, descriptionFile);
    const key = lookupKey('jira', run, name);
    const previous = await readLookup(store, key);

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

    const generation = previous ? previous.generation + 1 : 0;
    const mark = ticketMark(run, subjectMark(subject), generation);
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

    const saved: TicketLookup = {
      run,
      ...subject,
      ticket: issue.key,
      mark,
      generation,
      replaced: previous ? [...previous.replaced, previous.ticket] : [],
      updatedAt: new Date().toISOString(),
    };
    await writeLookup(store, key, saved);
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
