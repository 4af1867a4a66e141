import { heartbeat, log } from '@temporalio/activity';
import type { ClusterSummary, EnrichedAlert, FlowModelInput } from '../core/formats.js';
import { modelInputKey, modelOutputKey, runKeys } from '../core/keys.js';
import { getJson, putJson } from '../core/store/index.js';
import type { ActivityDeps } from './deps.js';
import { readClusterOutput } from './cluster-batches.js';
import { JsonListFile } from './json-pieces.js';

export interface ProcessClusterArgs {
  run: string;
  chunks: number;
  /** How many cluster batches ran (their answers are read back in order). */
  batches: number;
  maxFlowGapSeconds: number;
}

export interface ProcessedClusters {
  clusters: number;
  flowInputKey: string;
}

/** An alert as `agg_alert.json` holds it: enriched, with its final cluster. */
export interface ClusteredAlert extends EnrichedAlert {
  cluster: number;
}

/** What this step keeps of an alert while it settles the clusters. */
interface SettledAlert extends Pick<EnrichedAlert, 'i' | 'id' | 'time' | 'src' | 'dst' | 'tech'> {
  text: string;
  cluster: number;
}

/** Follows merges across batches to the cluster that finally absorbed each one. */
class Merges {
  private readonly parent = new Map<number, number>();
  union(absorbed: number, survivor: number): void {
    const a = this.find(absorbed);
    const b = this.find(survivor);
    if (a !== b) this.parent.set(a, b);
  }
  find(id: number): number {
    let root = id;
    while (this.parent.has(root)) root = this.parent.get(root)!;
    for (let at = id; at !== root;) {
      const next = this.parent.get(at)!;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }
}

/**
 * The "process cluster" step: settles every alert's cluster from the batch answers, writes
 * `agg_alert.json` and `cluster.json` to scratch, and builds the flow model's input.
 */
export function makeProcessCluster({ store, attack }: ActivityDeps) {
  return async function processCluster(args: ProcessClusterArgs): Promise<ProcessedClusters> {
    const keys = runKeys(args.run);
    const merges = new Merges();
    const assigned = new Map<number, number>();
    for (let b = 0; b < args.batches; b++) {
      const inputKey = modelInputKey(keys.clusterInputPrefix(b));
      const output = await readClusterOutput(
        store,
        modelOutputKey(keys.clusterOutputPrefix(b), inputKey),
      );
      for (const [absorbed, survivor] of output.merges) merges.union(absorbed, survivor);
      for (const [i, cluster] of output.assignments) assigned.set(i, cluster);
      heartbeat({ batch: b });
    }

    // Each alert is held as its JSON text and the few fields this step reads, not as a whole
    // object: a run's alerts are all in memory here at once.
    const clustered: SettledAlert[] = [];
    for (let n = 0; n < args.chunks; n++) {
      for (const alert of await getJson<EnrichedAlert[]>(store, keys.enrichedChunk(n))) {
        const { i, id, time, src, dst, tech } = alert;
        clustered.push({ i, id, time, src, dst, tech, text: JSON.stringify(alert), cluster: -1 });
      }
    }
    clustered.sort((a, b) => a.time - b.time || a.i - b.i);

    // Dense cluster numbers in order of each cluster's first alert, so ids read as a timeline.
    const dense = new Map<number, number>();
    for (const alert of clustered) {
      const raw = assigned.get(alert.i);
      if (raw === undefined)
        throw new Error(`${args.run}: alert ${alert.id} (internal ${alert.i}) has no cluster`);
      const root = merges.find(raw);
      if (!dense.has(root)) dense.set(root, dense.size);
      alert.cluster = dense.get(root)!;
    }

    const summaries = summarise(clustered, (ids) => attack.tacticsOfAll(ids));
    // The alert with its cluster added last, as `{...alert, cluster}` would be written.
    const agg = new JsonListFile();
    for (const alert of clustered) {
      const { text, cluster } = alert;
      agg.add(`${text.slice(0, -1)}${text.length > 2 ? ',' : ''}"cluster":${cluster}}`);
      // Let each text go once it is in the file: at a million alerts that is hundreds of MiB.
      alert.text = '';
    }
    await agg.put(store, keys.aggAlert);
    await putJson(store, keys.cluster, summaries);
    const flowInput: FlowModelInput = {
      tacticOrder: attack.tacticOrder,
      params: { maxGapSeconds: args.maxFlowGapSeconds },
      clusters: summaries,
    };
    const flowInputKey = modelInputKey(keys.flowInputPrefix);
    await putJson(store, flowInputKey, flowInput);
    log.info('clusters settled', {
      run: args.run,
      alerts: clustered.length,
      clusters: summaries.length,
    });
    return { clusters: summaries.length, flowInputKey };
  };
}

export function summarise<
  A extends Pick<ClusteredAlert, 'cluster' | 'time' | 'src' | 'dst' | 'tech'>,
>(alerts: A[], tacticsOf: (techniques: Iterable<string>) => string[]): ClusterSummary[] {
  const byCluster = new Map<number, A[]>();
  for (const alert of alerts) {
    const list = byCluster.get(alert.cluster);
    if (list) list.push(alert);
    else byCluster.set(alert.cluster, [alert]);
  }
  return [...byCluster.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, members]) => {
      const techniques = new Set(members.flatMap((a) => a.tech));
      const entities = new Set(members.flatMap((a) => [a.src, a.dst]).filter((e) => e !== ''));
      let start = Infinity;
      let end = -Infinity;
      for (const a of members) {
        start = Math.min(start, a.time);
        end = Math.max(end, a.time);
      }
      return {
        id,
        start,
        end,
        size: members.length,
        entities: [...entities].sort(),
        techniques: [...techniques].sort(),
        tactics: tacticsOf(techniques),
      };
    });
}
