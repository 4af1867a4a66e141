import { encodeAttributes } from '../../activities/sanitise.js';
import type { AttributeWeights, ClusterModelInput, NodeFeatures } from '../../core/formats.js';
import { clusterBatch } from '../clusterer.js';
import type { LabelledAlert } from './labelled-alerts.js';

export interface PipelineClusterOptions {
  /** `CLUSTER_BATCH_SIZE` */
  batchSize: number;
  /** `CLUSTER_WINDOW_SECONDS` */
  windowSeconds: number;
  weights?: AttributeWeights;
  nodeFeature?: NodeFeatures;
  /** Techniques and tactics of an alert name, as the enrichment steps would settle them. */
  tag?: (name: string) => { tech: string[]; tactics: string[] };
}

/**
 * Clusters alerts the way the pipeline does: sorted by time, cut into batches of the configured
 * size, each batch run on the state the previous answer carried, merges followed to the end.
 * Returns each alert's final cluster, in the order given.
 */
export function clusterLikePipeline(
  alerts: readonly LabelledAlert[],
  options: PipelineClusterOptions,
): number[] {
  const enriched = alerts.map((alert, i) => ({
    i,
    time: alert.time,
    src: alert.src,
    dst: alert.dst,
    ...(options.tag?.(alert.name) ?? { tech: [], tactics: [] }),
    features: encodeAttributes(alert.attrs),
  }));
  enriched.sort((a, b) => a.time - b.time || a.i - b.i);
  const total = Math.max(1, Math.ceil(enriched.length / options.batchSize));
  const parent = new Map<number, number>();
  const find = (id: number): number => {
    let root = id;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const assigned = new Int32Array(alerts.length);
  let state: ClusterModelInput['state'] = null;
  for (let batch = 0; batch < total; batch++) {
    const output = clusterBatch({
      batch: { index: batch, total },
      params: { windowSeconds: options.windowSeconds },
      weights: options.weights ?? { node: {}, event: {} },
      nodeFeature: options.nodeFeature ?? {},
      alerts: enriched.slice(batch * options.batchSize, (batch + 1) * options.batchSize),
      state,
    });
    for (const [absorbed, survivor] of output.merges) {
      const a = find(absorbed);
      const b = find(survivor);
      if (a !== b) parent.set(a, b);
    }
    for (const [i, cluster] of output.assignments) assigned[i] = cluster;
    state = output.state;
  }
  return [...assigned].map(find);
}

/** Baseline: one group per (source, destination) pair. */
export function groupBySourceAndDestination(alerts: readonly LabelledAlert[]): string[] {
  return alerts.map((a) => `${a.src.trim().toLowerCase()}>${a.dst.trim().toLowerCase()}`);
}

/** Baseline: one group per fixed, aligned time window. */
export function groupByTimeWindow(alerts: readonly LabelledAlert[], seconds: number): number[] {
  return alerts.map((a) => Math.floor(a.time / seconds));
}
