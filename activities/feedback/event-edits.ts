import { log } from '@temporalio/activity';
import type { AttackCatalog } from '../../core/attack.js';
import type { EditTechniques, HideEvents } from '../../core/feedback-formats.js';
import { techniqueLookupKey } from '../../core/keys.js';
import type { EventRecord } from '../../core/output-formats.js';
import { getJson, putJson, type ObjectStore } from '../../core/store/index.js';
import type { TechniqueLookup } from '../prepare-input.js';
import { getCampaign, listCampaigns, type Campaign } from '../tickets/campaign-store.js';
import {
  FeedbackRejection,
  loadRunEvents,
  pickEvents,
  readEventOverrides,
  writeEventOverrides,
} from './run-events.js';
import { writeFeedbackTicketInput, type FeedbackTicketInput } from './ticket-output.js';

async function campaignHolding(
  store: ObjectStore,
  id: string,
  eventIds: string[],
): Promise<Campaign> {
  const campaign = await getCampaign(store, id);
  if (!campaign) throw new FeedbackRejection(`campaign ${id} does not exist`);
  const members = new Set(campaign.alertIds);
  const stranger = eventIds.find((e) => !members.has(e));
  if (stranger !== undefined) throw new FeedbackRejection(`event ${stranger} is not in ${id}`);
  return campaign;
}

/** Hides events from the campaign page (or shows them again); tickets do not change. */
export async function hideEvents(store: ObjectStore, request: HideEvents): Promise<number> {
  const campaign = await campaignHolding(store, request.campaign, request.eventIds);
  const overrides = await readEventOverrides(store, campaign.run);
  const hidden = new Set(overrides.hidden);
  for (const id of request.eventIds) {
    if (request.hidden) hidden.add(id);
    else hidden.delete(id);
  }
  await writeEventOverrides(store, campaign.run, { ...overrides, hidden: [...hidden].sort() });
  log.info('events hidden', { campaign: campaign.id, events: request.eventIds.length });
  return request.eventIds.length;
}

/**
 * Sets an event's techniques (or those of every event of the run with its name), and teaches
 * the technique lookup table the name, so later runs tag it the same way without the model.
 */
export async function editTechniques(
  store: ObjectStore,
  attack: AttackCatalog,
  feedbackId: string,
  request: EditTechniques,
): Promise<FeedbackTicketInput | undefined> {
  const campaign = await campaignHolding(store, request.campaign, [request.eventId]);
  const events = await loadRunEvents(store, campaign.run);
  const [event] = pickEvents(events, [request.eventId], campaign.run);
  const edited: EventRecord[] = request.sameName
    ? [...events.values()].filter((e) => e.name === event!.name)
    : [event!];
  const tactics = attack.tacticsOfAll(request.techniques);
  const overrides = await readEventOverrides(store, campaign.run);
  for (const e of edited) {
    overrides.techniques[e.id] = { techniques: request.techniques, tactics };
  }
  await writeEventOverrides(store, campaign.run, overrides);
  await updateLookup(store, event!.name, request.techniques);

  const touched = new Set(edited.map((e) => e.id));
  const now = await loadRunEvents(store, campaign.run);
  const changed = (await listCampaigns(store, { run: campaign.run }))
    .filter((c) => c.alertIds.some((id) => touched.has(id)))
    .map((c) => ({ campaign: c, events: pickEvents(now, c.alertIds, c.run) }));
  log.info('techniques edited', {
    feedback: feedbackId,
    name: event!.name,
    events: edited.length,
    campaigns: changed.length,
  });
  return writeFeedbackTicketInput(store, feedbackId, changed);
}

async function updateLookup(store: ObjectStore, name: string, techniques: string[]) {
  const table = (await store.exists(techniqueLookupKey))
    ? await getJson<TechniqueLookup>(store, techniqueLookupKey)
    : {};
  // An empty list would tag nothing; leave the name to the model again instead.
  if (techniques.length > 0) table[name] = techniques;
  else delete table[name];
  await putJson(store, techniqueLookupKey, table);
}
