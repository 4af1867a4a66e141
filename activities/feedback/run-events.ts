import type { EventOverrides } from '../../core/feedback-formats.js';
import { eventOverridesKey } from '../../core/feedback-keys.js';
import { runKeys } from '../../core/keys.js';
import {
  eventFileSchema,
  type ClusterRecord,
  type EventRecord,
} from '../../core/output-formats.js';
import { getJson, putJson, type ObjectStore } from '../../core/store/index.js';

/** A run's events by id, with the techniques analysts corrected put in place. */
export async function loadRunEvents(
  store: ObjectStore,
  run: string,
): Promise<Map<string, EventRecord>> {
  const key = runKeys(run).eventOut;
  const parsed = eventFileSchema.safeParse(await getJson(store, key));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${key}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const overrides = await readEventOverrides(store, run);
  return new Map(
    parsed.data.events.map((e) => {
      const edited = overrides.techniques[e.id];
      return [e.id, edited ? { ...e, ...edited } : e];
    }),
  );
}

export async function readEventOverrides(store: ObjectStore, run: string): Promise<EventOverrides> {
  const body = await store.getIfExists(eventOverridesKey(run));
  if (!body) return { hidden: [], techniques: {} };
  return JSON.parse(body.toString('utf8')) as EventOverrides;
}

export async function writeEventOverrides(
  store: ObjectStore,
  run: string,
  overrides: EventOverrides,
): Promise<void> {
  await putJson(store, eventOverridesKey(run), overrides);
}

const unique = (values: string[]): string[] => [...new Set(values.filter((v) => v !== ''))];

/** A cluster record for the events a campaign holds now: what its tickets and page show. */
export function clusterOfEvents(id: string, events: EventRecord[]): ClusterRecord {
  const sorted = [...events].sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
  return {
    id,
    alert_ids: sorted.map((e) => e.id),
    start: sorted[0]?.time ?? 0,
    end: sorted[sorted.length - 1]?.time ?? 0,
    size: sorted.length,
    entities: unique(sorted.flatMap((e) => [e.src, e.dst])),
    techniques: unique(sorted.flatMap((e) => e.techniques)),
    tactics: unique(sorted.flatMap((e) => e.tactics)),
  };
}

/** The events of `ids`, naming the first one the run does not have. */
export function pickEvents(
  events: Map<string, EventRecord>,
  ids: string[],
  run: string,
): EventRecord[] {
  return ids.map((id) => {
    const event = events.get(id);
    if (!event) throw new FeedbackRejection(`event ${id} is not in run ${run}`);
    return event;
  });
}

/** A request that cannot be applied as asked: stored as rejected, never retried. */
export class FeedbackRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedbackRejection';
  }
}
