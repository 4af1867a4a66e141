import { log } from '@temporalio/activity';
import type { ObjectStore } from '../../core/store/index.js';
import { caseDescriptionLimit } from './content.js';
import { notConfigured } from './failures.js';
import type { KibanaCases } from './kibana-cases.js';
import { writeLookup, type TicketSyncResult } from './lookup.js';
import { newLookup, nextMark, prepareTicketSync, type SyncTicketArgs } from './ticket-sync.js';

/** Case statuses in which the case is still worked on; `closed` gets a new case. */
const openStatuses = new Set(['open', 'in-progress']);
const titleLimit = 160;

/**
 * One cluster's (or flow's) Elastic Security case, by the same rules and the same exactly-once
 * mark as the JIRA step: a tag unique to run, subject and generation, looked for before creating.
 */
export function makeSyncCase(deps: { store: ObjectStore; cases?: KibanaCases }) {
  return async function syncCase(args: SyncTicketArgs): Promise<TicketSyncResult> {
    const { store } = deps;
    const cases = deps.cases;
    if (!cases) throw notConfigured('Kibana', 'KIBANA_URL and KIBANA_API_KEY');
    const { run } = args;
    const prepared = await prepareTicketSync(store, args, 'cases', caseDescriptionLimit);
    const { subject, loaded, descriptionFile, fitted, key, previous } = prepared;
    const { content } = loaded;
    const title = content.summary.slice(0, titleLimit);

    if (previous) {
      const current = await cases.get(previous.ticket);
      if (current && openStatuses.has(current.status)) {
        await cases.update(current, title, fitted.text);
        await writeLookup(store, key, { ...previous, updatedAt: new Date().toISOString() });
        log.info('case updated', { run, ...subject, case: current.id, status: current.status });
        return { ...subject, ticket: current.id, action: 'updated', adopted: false };
      }
      log.info('earlier case is closed; creating a new one', {
        run,
        ...subject,
        case: previous.ticket,
        status: current?.status ?? '(deleted)',
      });
    }

    const next = nextMark(run, subject, previous);
    const { mark } = next;
    const earlier = await cases.findByTag(mark);
    const made = earlier ?? (await cases.create(title, fitted.text, mark));
    if (!earlier) {
      // A file attached twice is harmless next to a second case; attach only on creation.
      const alerts = await loaded.attachment();
      await cases.attachFile(made.id, alerts.filename, alerts.content);
      if (fitted.attachWhole) {
        await cases.attachFile(made.id, descriptionFile, Buffer.from(content.description));
      }
    }
    await writeLookup(store, key, newLookup(run, subject, made.id, next, previous));
    const action = previous ? 'replaced' : 'created';
    log.info(earlier ? 'case adopted from an earlier attempt' : `case ${action}`, {
      run,
      ...subject,
      case: made.id,
    });
    return { ...subject, ticket: made.id, action, adopted: Boolean(earlier) };
  };
}
