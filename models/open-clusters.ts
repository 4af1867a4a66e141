import type { ClusterState } from '../core/formats.js';

/** Enough to keep linking a long-lived cluster while keeping the carried state small. */
const maxEntities = 256;
const maxFeatures = 64;

export interface OpenCluster {
  id: number;
  firstTime: number;
  lastTime: number;
  /** Linking entities, least recently seen first (insertion order is recency order). */
  entities: Set<string>;
  /** Weighted event features, least recently seen first. */
  features: Set<string>;
  tactics: Set<string>;
  /** How many of the cluster's entities carry each weighted node feature. */
  nodeFeatures: Map<string, number>;
}

/**
 * The clusters still open to new alerts, with an entity -> clusters index so that an alert only
 * looks at clusters it shares an entity with.
 */
export class OpenClusters {
  private readonly clusters = new Map<number, OpenCluster>();
  private readonly byEntity = new Map<string, Set<number>>();
  private sweepAt = 1024;

  constructor(
    private readonly nodeFeaturesOf: (entity: string) => readonly string[],
    private readonly silenceAllowed: (cluster: OpenCluster) => number,
  ) {}

  static fromState(
    state: ClusterState | null,
    nodeFeaturesOf: (e: string) => readonly string[],
    silenceAllowed: (cluster: OpenCluster) => number,
  ) {
    const open = new OpenClusters(nodeFeaturesOf, silenceAllowed);
    for (const saved of state?.open ?? []) {
      const cluster = open.create(saved.id, saved.firstTime ?? saved.lastTime);
      cluster.lastTime = saved.lastTime;
      for (const entity of saved.entities) open.touchEntity(cluster, entity);
      for (const feature of saved.features) cluster.features.add(feature);
      for (const tactic of saved.tactics) cluster.tactics.add(tactic);
    }
    return open;
  }

  /** The newest alert time the open clusters have seen. */
  get latestTime(): number {
    let latest = -Infinity;
    for (const c of this.clusters.values()) latest = Math.max(latest, c.lastTime);
    return latest;
  }

  create(id: number, time: number): OpenCluster {
    const cluster: OpenCluster = {
      id,
      firstTime: time,
      lastTime: time,
      entities: new Set(),
      features: new Set(),
      tactics: new Set(),
      nodeFeatures: new Map(),
    };
    this.clusters.set(id, cluster);
    return cluster;
  }

  /** Whether a cluster has been silent longer than it may be at time `now`. */
  expired(cluster: OpenCluster, now: number): boolean {
    return now - cluster.lastTime > this.silenceAllowed(cluster);
  }

  /** Open clusters sharing an entity, lowest id first; expired ones met on the way are closed. */
  sharing(entities: readonly string[], now: number): OpenCluster[] {
    const found = new Map<number, OpenCluster>();
    for (const entity of entities) {
      for (const id of [...(this.byEntity.get(entity) ?? [])]) {
        const cluster = this.clusters.get(id)!;
        if (this.expired(cluster, now)) this.close(cluster);
        else found.set(id, cluster);
      }
    }
    return [...found.values()].sort((a, b) => a.id - b.id);
  }

  /** Records an alert in a cluster; its entities and features become the most recent. */
  add(
    cluster: OpenCluster,
    time: number,
    entities: string[],
    features: string[],
    tactics: string[],
  ): void {
    cluster.lastTime = Math.max(cluster.lastTime, time);
    for (const entity of entities) this.touchEntity(cluster, entity);
    for (const feature of features) touch(cluster.features, feature, maxFeatures);
    for (const tactic of tactics) cluster.tactics.add(tactic);
  }

  /** Moves everything `absorbed` knows into `survivor` and forgets `absorbed`. */
  merge(survivor: OpenCluster, absorbed: OpenCluster): void {
    this.close(absorbed);
    survivor.firstTime = Math.min(survivor.firstTime, absorbed.firstTime);
    survivor.lastTime = Math.max(survivor.lastTime, absorbed.lastTime);
    for (const entity of absorbed.entities) {
      if (!survivor.entities.has(entity)) this.touchEntity(survivor, entity);
    }
    for (const feature of absorbed.features) {
      if (!survivor.features.has(feature)) touch(survivor.features, feature, maxFeatures);
    }
    for (const tactic of absorbed.tactics) survivor.tactics.add(tactic);
  }

  /** Closes expired clusters; cheap enough to call as often as the set doubles. */
  sweep(now: number, force = false): void {
    if (!force && this.clusters.size < this.sweepAt) return;
    for (const cluster of [...this.clusters.values()]) {
      if (this.expired(cluster, now)) this.close(cluster);
    }
    this.sweepAt = Math.max(1024, 2 * this.clusters.size);
  }

  toState(nextClusterId: number): ClusterState {
    const open = [...this.clusters.values()]
      .sort((a, b) => a.id - b.id)
      .map((c) => ({
        id: c.id,
        firstTime: c.firstTime,
        lastTime: c.lastTime,
        entities: [...c.entities],
        features: [...c.features],
        tactics: [...c.tactics].sort(),
      }));
    return { nextClusterId, open };
  }

  private touchEntity(cluster: OpenCluster, entity: string): void {
    if (cluster.entities.has(entity)) {
      cluster.entities.delete(entity);
      cluster.entities.add(entity);
      return;
    }
    cluster.entities.add(entity);
    this.indexSet(entity).add(cluster.id);
    for (const f of this.nodeFeaturesOf(entity)) {
      cluster.nodeFeatures.set(f, (cluster.nodeFeatures.get(f) ?? 0) + 1);
    }
    if (cluster.entities.size > maxEntities) {
      const oldest = cluster.entities.values().next().value!;
      cluster.entities.delete(oldest);
      this.unindex(cluster, oldest);
    }
  }

  private unindex(cluster: OpenCluster, entity: string): void {
    const ids = this.byEntity.get(entity);
    ids?.delete(cluster.id);
    if (ids?.size === 0) this.byEntity.delete(entity);
    for (const f of this.nodeFeaturesOf(entity)) {
      const left = (cluster.nodeFeatures.get(f) ?? 0) - 1;
      if (left > 0) cluster.nodeFeatures.set(f, left);
      else cluster.nodeFeatures.delete(f);
    }
  }

  private close(cluster: OpenCluster): void {
    for (const entity of cluster.entities) this.unindex(cluster, entity);
    this.clusters.delete(cluster.id);
  }

  private indexSet(entity: string): Set<number> {
    let ids = this.byEntity.get(entity);
    if (!ids) this.byEntity.set(entity, (ids = new Set()));
    return ids;
  }
}

function touch(set: Set<string>, value: string, cap: number): void {
  set.delete(value);
  set.add(value);
  if (set.size > cap) set.delete(set.values().next().value!);
}
