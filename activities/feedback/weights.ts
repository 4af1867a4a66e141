import type { AttributeWeights, NodeFeatures } from '../../core/formats.js';
import type { EventRecord } from '../../core/output-formats.js';
import { entityKey } from '../../models/entities.js';
import { encodeAttributes } from '../sanitise.js';

/**
 * How far one cut moves an entity's link weight. The clusterer weighs a shared entity 1 by
 * default and joins at 1, so four cuts that blame the same entity stop it linking on its own.
 */
export const entityStep = 0.25;
const maxEntityWeight = 2;
const maxAttributeWeight = 5;

export interface CutEvidence {
  /** Events the analyst moved out of the source campaign. */
  moved: EventRecord[];
  /** Events left in the source campaign. */
  stayed: EventRecord[];
  /** Events already in the target campaigns. */
  joined: EventRecord[];
  nodeFeature: NodeFeatures;
  /** Attribute name -> weight to add, as the analyst set them (0 changes nothing). */
  eventWeights: Record<string, number>;
  nodeWeights: Record<string, number>;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

function entitiesOf(events: EventRecord[]): Set<string> {
  const keys = new Set<string>();
  for (const e of events) {
    for (const raw of [e.src, e.dst]) {
      const key = entityKey(raw);
      if (key !== undefined) keys.add(key);
    }
  }
  return keys;
}

/** `port=443` and `priority~2` name the attribute before the operator. */
const attributeOf = (token: string): string => token.split(/[=~]/, 1)[0] ?? token;

/**
 * The weights after one cut. Entities that tied the moved events to the campaign they left (and
 * not to the one they joined) weigh less; entities they share with their new campaign weigh
 * more. Attribute weights change by what the analyst set, for the values the moved events carry:
 * event attributes as the clusterer's feature tokens, node attributes as `feature:<name>=<value>`.
 */
export function applyCutToWeights(current: AttributeWeights, cut: CutEvidence): AttributeWeights {
  const node = normaliseEntityKeys(current.node);
  const event = { ...current.event };
  const moved = entitiesOf(cut.moved);
  const stayed = entitiesOf(cut.stayed);
  const joined = entitiesOf(cut.joined);
  for (const entity of moved) {
    const weight = node[entity] ?? 1;
    if (stayed.has(entity) && !joined.has(entity)) {
      node[entity] = round(clamp(weight - entityStep, 0, maxEntityWeight));
    } else if (joined.has(entity) && !stayed.has(entity)) {
      node[entity] = round(clamp(weight + entityStep, 0, maxEntityWeight));
    }
  }

  const eventTokens = new Set(cut.moved.flatMap((e) => encodeAttributes(e.other_attributes_dict)));
  for (const token of eventTokens) {
    const change = cut.eventWeights[attributeOf(token)] ?? 0;
    if (change !== 0) adjust(event, token, change);
  }

  const features = nodeFeaturesByEntity(cut.nodeFeature);
  const nodeTokens = new Set<string>();
  for (const entity of moved) {
    for (const [name, value] of features.get(entity) ?? []) {
      if ((cut.nodeWeights[name] ?? 0) !== 0) nodeTokens.add(`feature:${name}=${value}`);
    }
  }
  for (const token of nodeTokens) {
    const name = token.slice('feature:'.length, token.indexOf('='));
    adjust(node, token, cut.nodeWeights[name]!);
  }
  return { node, event };
}

/** The clusterer compares entity keys trimmed and lower-cased; so do the updates here. */
function normaliseEntityKeys(weights: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, weight] of Object.entries(weights)) {
    out[key.startsWith('feature:') ? key : key.trim().toLowerCase()] = weight;
  }
  return out;
}

function adjust(weights: Record<string, number>, key: string, change: number): void {
  const next = round(clamp((weights[key] ?? 0) + change, -maxAttributeWeight, maxAttributeWeight));
  if (next === 0) delete weights[key];
  else weights[key] = next;
}

/** Node attributes by the entity key the clusterer links on. */
export function nodeFeaturesByEntity(nodeFeature: NodeFeatures): Map<string, [string, string][]> {
  const byEntity = new Map<string, [string, string][]>();
  for (const [entity, attributes] of Object.entries(nodeFeature)) {
    const key = entityKey(entity);
    if (key === undefined) continue;
    const pairs = Object.entries(attributes)
      .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
      .map(([k, v]): [string, string] => [k, String(v)]);
    byEntity.set(key, [...(byEntity.get(key) ?? []), ...pairs]);
  }
  return byEntity;
}

/** How many weights differ between two sets: what a feedback record reports. */
export function changedWeights(before: AttributeWeights, after: AttributeWeights): number {
  let changed = 0;
  for (const kind of ['node', 'event'] as const) {
    const keys = new Set([...Object.keys(before[kind]), ...Object.keys(after[kind])]);
    for (const k of keys) if (before[kind][k] !== after[kind][k]) changed++;
  }
  return changed;
}
