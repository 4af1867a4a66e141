import type { IncomingMessage } from 'node:http';
import { getCampaign, type Campaign } from '../activities/tickets/campaign-store.js';
import {
  cutEventsSchema,
  editTechniquesSchema,
  hideEventsSchema,
  type FeedbackRecord,
} from '../core/feedback-formats.js';
import { feedbackIdPattern, feedbackRecordKey } from '../core/feedback-keys.js';
import type { ObjectStore } from '../core/store/index.js';
import type { FeedbackAction } from '../starters/feedback-signal.js';
import { HttpError, readJson } from './http.js';

export type SendFeedback = (action: FeedbackAction) => Promise<string>;

async function campaignAt(store: ObjectStore, field: string, id: string): Promise<Campaign> {
  const campaign = await getCampaign(store, id);
  if (!campaign) throw new HttpError(400, `field "${field}": campaign ${id} does not exist`);
  return campaign;
}

function requireMembers(campaign: Campaign, field: string, eventIds: string[]): void {
  const members = new Set(campaign.alertIds);
  const n = eventIds.findIndex((id) => !members.has(id));
  if (n >= 0) {
    throw new HttpError(
      400,
      `field "${field}.${n}": event ${eventIds[n]} is not in ${campaign.id}`,
    );
  }
}

/**
 * Checks a feedback request against the campaigns as they are now (a 400 names the field), then
 * signals it. The FeedbackWorkflow checks again when it applies it: campaigns may change between.
 */
export async function postFeedback(
  kind: string,
  req: IncomingMessage,
  store: ObjectStore,
  send: SendFeedback,
): Promise<string> {
  switch (kind) {
    case 'cut': {
      const cut = await readJson(req, cutEventsSchema);
      const source = await campaignAt(store, 'source', cut.source);
      const seen = new Set<string>();
      for (const [n, target] of cut.targets.entries()) {
        const field = `targets.${n}`;
        const campaign = await campaignAt(store, `${field}.campaign`, target.campaign);
        if (campaign.id === source.id || campaign.run !== source.run) {
          throw new HttpError(
            400,
            `field "${field}.campaign": must be another campaign of run ${source.run}`,
          );
        }
        requireMembers(source, `${field}.eventIds`, target.eventIds);
        for (const id of target.eventIds) {
          if (seen.has(id))
            throw new HttpError(400, `field "${field}.eventIds": ${id} given twice`);
          seen.add(id);
        }
      }
      return send({ kind: 'cut', ...cut });
    }
    case 'hide': {
      const hide = await readJson(req, hideEventsSchema);
      requireMembers(await campaignAt(store, 'campaign', hide.campaign), 'eventIds', hide.eventIds);
      return send({ kind: 'hide', ...hide });
    }
    case 'techniques': {
      const edit = await readJson(req, editTechniquesSchema);
      const campaign = await campaignAt(store, 'campaign', edit.campaign);
      if (!campaign.alertIds.includes(edit.eventId)) {
        throw new HttpError(400, `field "eventId": event ${edit.eventId} is not in ${campaign.id}`);
      }
      return send({ kind: 'techniques', ...edit });
    }
    default:
      throw new HttpError(404, `no feedback of kind ${kind}`);
  }
}

/** The stored record of a request, or `pending` while the workflow has not handled it. */
export async function feedbackState(
  store: ObjectStore,
  id: string,
): Promise<FeedbackRecord | { id: string; status: 'pending' }> {
  if (!feedbackIdPattern.test(id)) throw new HttpError(400, 'field "id": not a feedback id');
  const body = await store.getIfExists(feedbackRecordKey(id));
  return body ? (JSON.parse(body.toString('utf8')) as FeedbackRecord) : { id, status: 'pending' };
}
