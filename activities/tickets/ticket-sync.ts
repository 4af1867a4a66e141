import type { ObjectStore } from '../../core/store/index.js';
import { fitDescription, ticketMark } from './content.js';
import {
  lookupKey,
  readLookup,
  subjectMark,
  subjectName,
  type TicketLookup,
  type TicketSubject,
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

/**
 * What the JIRA and case steps both start from: the subject's content, its description fitted
 * to the service's limit, and the lookup entry of the ticket made for it before.
 */
export async function prepareTicketSync(
  store: ObjectStore,
  args: SyncTicketArgs,
  service: 'jira' | 'cases',
  descriptionLimit: number,
) {
  const subject = subjectOf(args);
  const name = subjectName(subject);
  const loaded = await loadTicketSubject(store, args.enrichAlertInputKey, subject);
  const descriptionFile = `description-${name}.txt`;
  const fitted = fitDescription(loaded.content, descriptionLimit, descriptionFile);
  const key = lookupKey(service, args.run, name);
  return { subject, loaded, descriptionFile, fitted, key, previous: await readLookup(store, key) };
}

/** The exactly-once mark of the next ticket: a new generation after a replaced one. */
export function nextMark(run: string, subject: TicketSubject, previous: TicketLookup | undefined) {
  const generation = previous ? previous.generation + 1 : 0;
  return { generation, mark: ticketMark(run, subjectMark(subject), generation) };
}

/** The lookup entry for a ticket just created (or adopted), remembering the ones it replaced. */
export function newLookup(
  run: string,
  subject: TicketSubject,
  ticket: string,
  next: { generation: number; mark: string },
  previous: TicketLookup | undefined,
): TicketLookup {
  return {
    run,
    ...subject,
    ticket,
    ...next,
    replaced: previous ? [...previous.replaced, previous.ticket] : [],
    updatedAt: new Date().toISOString(),
  };
}
