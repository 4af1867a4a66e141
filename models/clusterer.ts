import type { ClusterModelInput, ClusterModelOutput } from '../core/formats.js';
import { entityKey, isLoopback } from './entities.js';
import { OpenClusters, type OpenCluster } from './open-clusters.js';

/** An alert joins a cluster when the evidence linking them adds up to this much. */
const joinThreshold = 1;
/** Same tactic on the same entities: the same stage of one intrusion, more likely than not. */
const sharedTacticBonus = 0.25;
const nodeFeaturePrefix = 'feature:';
/** A cluster may be silent this many times as long as it has lived (measured on labelled sets). */
const silencePerLived = 2;
/** However long it lived, a cluster silent for this many windows is closed: state stays small. */
const maxSilenceWindows = 48;

type Alert = ClusterModelInput['alerts'][number];

interface LinkWeights {
  /** Weight of a linking entity; entities weighted 0 or less never link and are left out. */
  entity(key: string): number;
  /** Weighted node features (`feature:<key>=<value>`) of an entity. */
  nodeFeaturesOf(key: string): readonly string[];
  node(feature: string): number;
  event(feature: string): number;
}

/**
 * One batch of streaming clustering. Alerts are taken in time order and join the open cluster
 * they share entities with; state carries the open clusters to the next batch.
 */
export function clusterBatch(input: ClusterModelInput): ClusterModelOutput {
  const weights = linkWeights(input);
  const window = input.params.windowSeconds;
  const open = OpenClusters.fromState(
    input.state,
    (e) => weights.nodeFeaturesOf(e),
    (c) => silenceAllowed(c, window),
  );
  const firstNewId = input.state?.nextClusterId ?? 0;
  let nextId = firstNewId;
  let now = open.latestTime;

  const alerts = [...input.alerts].sort((a, b) => a.time - b.time || a.i - b.i);
  const absorbedInto = new Map<number, number>();
  const assigned: [number, number][] = [];
  for (const alert of alerts) {
    now = Math.max(now, alert.time);
    open.sweep(now);
    const entities = linkingEntities(alert, weights);
    const features = alert.features.filter((f) => weights.event(f) !== 0);
    const joined = open
      .sharing(entities, now)
      .filter((c) => linkScore(alert, entities, c, weights) >= joinThreshold);

    const [target, ...others] = joined;
    let cluster: OpenCluster;
    if (target === undefined) {
      const id = nextId++;
      // With nothing to link on, no later alert could ever join it: it need not stay open.
      if (entities.length === 0) {
        assigned.push([alert.i, id]);
        continue;
      }
      cluster = open.create(id, alert.time);
    } else {
      cluster = target;
      for (const other of others) {
        open.merge(cluster, other);
        absorbedInto.set(other.id, cluster.id);
      }
    }
    open.add(cluster, alert.time, entities, features, alert.tactics);
    assigned.push([alert.i, cluster.id]);
  }
  open.sweep(now, true);

  const survivor = (id: number): number => {
    let current = id;
    let next = absorbedInto.get(current);
    while (next !== undefined) {
      current = next;
      next = absorbedInto.get(current);
    }
    return current;
  };
  // Clusters born in this batch are relabelled here; only older ones need telling downstream.
  const merges: [number, number][] = [...absorbedInto.keys()]
    .filter((id) => id < firstNewId)
    .sort((a, b) => a - b)
    .map((id) => [id, survivor(id)]);
  return {
    batch: { index: input.batch.index, total: input.batch.total },
    assignments: assigned.map(([i, id]) => [i, survivor(id)]),
    merges,
    state: open.toState(nextId),
    nextBatch: input.batch.index + 1 < input.batch.total,
  };
}

/**
 * How long a cluster may stay silent and still be joined: the window, or longer for a cluster
 * that has already lived long. An intrusion that has gone on for hours pauses for hours (the
 * attacker sleeps, a scan waits), while a short burst that goes quiet is most likely over.
 */
function silenceAllowed(c: OpenCluster, window: number): number {
  const lived = c.lastTime - c.firstTime;
  return Math.min(maxSilenceWindows * window, Math.max(window, silencePerLived * lived));
}

/**
 * Addresses are only unique within the network a sensor watches: separate environments (tenants,
 * copies of one lab, overlapping private ranges) reuse them. An alert that names its sensor links
 * only with alerts of the same sensor.
 */
const scopeFeaturePrefix = 'sensor=';
/** Between scope and entity in a scoped key; no host name or address holds it. */
const scopeSeparator = '\u001f';
const unscoped = (key: string): string => key.slice(key.lastIndexOf(scopeSeparator) + 1);

function linkingEntities(alert: Alert, weights: LinkWeights): string[] {
  const keys = new Set<string>();
  const scope = alert.features.find((f) => f.startsWith(scopeFeaturePrefix));
  for (const raw of [alert.src, alert.dst]) {
    // Within a sensor's scope the loopback address is the sensor's own machine.
    const key =
      entityKey(raw) ?? (scope !== undefined && isLoopback(raw) ? 'localhost' : undefined);
    if (key === undefined || weights.entity(key) <= 0) continue;
    keys.add(
      scope === undefined
        ? key
        : `${scope.slice(scopeFeaturePrefix.length)}${scopeSeparator}${key}`,
    );
  }
  return [...keys];
}

function linkScore(alert: Alert, entities: string[], c: OpenCluster, w: LinkWeights): number {
  let score = 0;
  const nodeFeatures = new Set<string>();
  for (const entity of entities) {
    if (c.entities.has(entity)) score += w.entity(entity);
    for (const f of w.nodeFeaturesOf(entity)) nodeFeatures.add(f);
  }
  for (const f of nodeFeatures) if (c.nodeFeatures.has(f)) score += w.node(f);
  for (const f of new Set(alert.features)) if (c.features.has(f)) score += w.event(f);
  if (alert.tactics.some((t) => c.tactics.has(t))) score += sharedTacticBonus;
  return score;
}

/** Weight lookups prepared once per batch; entity names compare case-insensitively. */
function linkWeights(input: ClusterModelInput): LinkWeights {
  const entityWeights = new Map<string, number>();
  const featureWeights = new Map<string, number>();
  for (const [key, weight] of Object.entries(input.weights.node)) {
    if (key.startsWith(nodeFeaturePrefix)) featureWeights.set(key, weight);
    else entityWeights.set(key.trim().toLowerCase(), weight);
  }
  const nodeFeatures = new Map<string, string[]>();
  if (featureWeights.size > 0) {
    for (const [entity, attributes] of Object.entries(input.nodeFeature)) {
      const key = entityKey(entity);
      if (key === undefined) continue;
      const weighted = Object.entries(attributes)
        .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
        .map(([k, v]) => `${nodeFeaturePrefix}${k}=${String(v)}`)
        .filter((f) => (featureWeights.get(f) ?? 0) !== 0);
      if (weighted.length > 0) {
        nodeFeatures.set(key, [...new Set([...(nodeFeatures.get(key) ?? []), ...weighted])]);
      }
    }
  }
  const eventWeights = new Map(Object.entries(input.weights.event));
  return {
    // Feedback and node features name entities, not the scope they were seen in.
    entity: (key) => entityWeights.get(unscoped(key)) ?? 1,
    nodeFeaturesOf: (key) => nodeFeatures.get(unscoped(key)) ?? [],
    node: (feature) => featureWeights.get(feature) ?? 0,
    event: (feature) => eventWeights.get(feature) ?? 0,
  };
}
