import { log } from '@temporalio/activity';
import type { CutEvents } from '../../core/feedback-formats.js';
import type { NodeFeatures } from '../../core/formats.js';
import { feedbackWeightsKey, runKeys } from '../../core/keys.js';
import type { EventRecord } from '../../core/output-formats.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';
import { readWeights } from '../process-enriched.js';
import { getCampaign, type Campaign } from '../tickets/campaign-store.js';
import { FeedbackRejection, loadRunEvents, pickEvents } from './run-events.js';
import { writeFeedbackTicketInput, type FeedbackTicketInput } from './ticket-output.js';
import { applyCutToWeights, changedWeights } from './weights.js';

export interface CutOutcome {
  ticketInput?: FeedbackTicketInput;
  removed: string[];
  weightsChanged: number;
}

async function requireCampaign(store: ObjectStore, id: string): Promise<Campaign> {
  const campaign = await getCampaign(store, id);
  if (!campaign) throw new FeedbackRejection(`campaign ${id} does not exist`);
  return campaign;
}

/**
 * Moves events from one campaign to others, and turns the move into weights for the next runs.
 * Safe to retry: the campaigns are rewritten only after this returns (writeCampaigns), and the
 * weights file remembers the last request it took in.
 */
export async function cutEvents(
  store: ObjectStore,
  feedbackId: string,
  cut: CutEvents,
): Promise<CutOutcome> {
  const source = await requireCampaign(store, cut.source);
  const targets = await Promise.all(cut.targets.map((t) => requireCampaign(store, t.campaign)));
  const events = await loadRunEvents(store, source.run);
  const inSource = new Set(source.alertIds);
  const movedIds = new Set<string>();
  targets.forEach((target, n) => {
    if (target.id === source.id) throw new FeedbackRejection(`target ${target.id} is the source`);
    if (target.run !== source.run) {
      throw new FeedbackRejection(`target ${target.id} is not of run ${source.run}`);
    }
    for (const id of cut.targets[n]!.eventIds) {
      if (movedIds.has(id)) throw new FeedbackRejection(`event ${id} is given two targets`);
      if (!inSource.has(id)) {
        throw new FeedbackRejection(`event ${id} is not in campaign ${source.id}`);
      }
      movedIds.add(id);
    }
  });

  const stayed = pickEvents(
    events,
    source.alertIds.filter((id) => !movedIds.has(id)),
    source.run,
  );
  const changed: { campaign: Campaign; events: EventRecord[] }[] = [];
  if (stayed.length > 0) changed.push({ campaign: source, events: stayed });
  const moved: EventRecord[] = [];
  const joined: EventRecord[] = [];
  targets.forEach((target, n) => {
    const incoming = cut.targets[n]!.eventIds;
    const kept = target.alertIds.filter((id) => !incoming.includes(id));
    joined.push(...pickEvents(events, kept, source.run));
    moved.push(...pickEvents(events, incoming, source.run));
    changed.push({
      campaign: target,
      events: pickEvents(events, [...kept, ...incoming], target.run),
    });
  });

  const weightsChanged = await updateWeights(store, feedbackId, {
    moved,
    stayed,
    joined,
    nodeFeature: await readNodeFeature(store, source.run),
    eventWeights: cut.eventWeights,
    nodeWeights: cut.nodeWeights,
  });
  const ticketInput = await writeFeedbackTicketInput(store, feedbackId, changed);
  // An emptied campaign has nothing left to show; the workflow removes it after the rewrite.
  const removed = stayed.length === 0 ? [source.id] : [];
  log.info('events cut', {
    feedback: feedbackId,
    source: source.id,
    targets: targets.map((t) => t.id),
    moved: moved.length,
    removed,
    weightsChanged,
  });
  return { ticketInput, removed, weightsChanged };
}

async function readNodeFeature(store: ObjectStore, run: string): Promise<NodeFeatures> {
  const body = await store.getIfExists(runKeys(run).nodeFeature);
  return body ? (JSON.parse(body.toString('utf8')) as NodeFeatures) : {};
}

async function updateWeights(
  store: ObjectStore,
  feedbackId: string,
  evidence: Parameters<typeof applyCutToWeights>[1],
): Promise<number> {
  const raw = await store.getIfExists(feedbackWeightsKey);
  const last = raw ? (JSON.parse(raw.toString('utf8')) as { feedback?: string }).feedback : null;
  const before = await readWeights(store);
  // Requests come one at a time, so the last one taken in is this one only on a retry.
  if (last === feedbackId) return 0;
  const after = applyCutToWeights(before, evidence);
  await putJson(store, feedbackWeightsKey, { ...after, feedback: feedbackId });
  return changedWeights(before, after);
}
